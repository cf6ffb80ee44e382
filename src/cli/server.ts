/** `berth server`: the Kubernetes API server (control plane) in the foreground. */
import { setLogLevel, type LogLevel } from '../core/index.js';
import { parseFlags, type FlagSpecs } from './flags.js';

const specs: FlagSpecs = {
  'data-dir': { type: 'string', short: 'd' },
  datastore: { type: 'string', aliases: ['datastore-endpoint'] },
  'bind-address': { type: 'string' },
  'secure-port': { type: 'string', aliases: ['https-listen-port'] },
  'token-auth-file': { type: 'string' },
  'advertise-address': { type: 'string' },
  'etcd-compaction-interval': { type: 'string' },
  'log-level': { type: 'string', short: 'l' },
  help: { type: 'bool', short: 'h' },
};

const usage = `Usage: berth server [OPTIONS]

Runs the Kubernetes API server on SQLite (default) or etcd. On first start it
creates a CA, serving and admin client certificates, and writes an admin
kubeconfig to DATA_DIR/kubeconfig.yaml.

Options:
  -d, --data-dir DIR            State, certificates and kubeconfig (default /var/lib/berth/server)
      --datastore URL           sqlite://PATH (default DATA_DIR/state.db) or etcd://HOST:PORT[,HOST:PORT...]
      --bind-address ADDR       Address to serve on (default 0.0.0.0)
      --secure-port PORT        HTTPS port (default 6443; 0 picks a free one)
      --token-auth-file FILE    Static bearer tokens: token,user,uid,"group1,group2"
      --advertise-address ADDR  Address of the kubernetes Service's endpoints
      --etcd-compaction-interval DURATION
                                How often history is compacted, e.g. 5m (default), 30s
  -l, --log-level LEVEL         error, warn, info or debug (default warn)
`;

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, specs);
  if (flags.bools.get('help') === true) {
    process.stdout.write(usage);
    return 0;
  }
  const level = flags.strings.get('log-level') ?? process.env['BERTH_LOG_LEVEL'];
  if (level !== undefined) setLogLevel(level as LogLevel);
  const portText = flags.strings.get('secure-port') ?? '6443';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    process.stderr.write(`berth server: invalid --secure-port ${portText}\n`);
    return 1;
  }
  const compaction = parseDuration(flags.strings.get('etcd-compaction-interval'));
  if (compaction === null) {
    process.stderr.write(`berth server: invalid --etcd-compaction-interval ${flags.strings.get('etcd-compaction-interval') ?? ''}\n`);
    return 1;
  }
  const { ClusterServer } = await import('../server/cluster-server.js');
  const dataDir = flags.strings.get('data-dir') ?? '/var/lib/berth/server';
  const get = (k: string) => flags.strings.get(k);
  const server = new ClusterServer({
    dataDir,
    securePort: Number(portText),
    ...(get('datastore') === undefined ? {} : { datastore: get('datastore')! }),
    ...(get('bind-address') === undefined ? {} : { bindAddress: get('bind-address')! }),
    ...(get('token-auth-file') === undefined ? {} : { tokenAuthFile: get('token-auth-file')! }),
    ...(get('advertise-address') === undefined ? {} : { advertiseAddress: get('advertise-address')! }),
    ...(compaction === undefined ? {} : { compactIntervalMs: compaction }),
  });
  const controller = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => controller.abort());
  const running = server.start(controller.signal);
  server.api.then((api) => {
    process.stdout.write(`Berth API server ready at ${api.url}\nKubeconfig: ${api.kubeconfigPath}\nUse it with:  export KUBECONFIG=${api.kubeconfigPath}; kubectl get namespaces\n`);
  }, () => undefined);
  await running;
  return 0;
}

/** Go-style durations as kube-apiserver flags take them ("90s", "5m", "1h30m"); undefined when absent, null when bad. */
function parseDuration(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (unit[m[2] ?? 's'] ?? 1000);
    consumed += m[0].length;
  }
  return consumed === text.length && total > 0 ? total : null;
}
