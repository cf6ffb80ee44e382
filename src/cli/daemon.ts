import { parseFlags, type FlagSpecs } from './flags.js';
import { setLogLevel, type LogLevel } from '../core/index.js';

const specs: FlagSpecs = {
  root: { type: 'string', aliases: ['data-root', 'graph'] },
  'exec-root': { type: 'string' },
  host: { type: 'string', short: 'H' },
  'default-runtime': { type: 'string' },
  'cgroup-parent': { type: 'string' },
  'bridge-name': { type: 'string', aliases: ['bridge'] },
  bip: { type: 'string' },
  'monitor-pool': { type: 'string' },
  'log-level': { type: 'string', short: 'l' },
  help: { type: 'bool' },
};

const usage = `Usage: berth daemon [OPTIONS]

Runs the Berth container engine (Docker Engine API) in the foreground.

Options:
      --root DIR              Persistent state (default /var/lib/berth)
      --exec-root DIR         Runtime state (default /run/berth)
  -H, --host unix://PATH      Socket to listen on (default unix:///run/berth/berth.sock)
      --default-runtime NAME  OCI runtime for containers (default runc)
      --cgroup-parent PATH    Parent cgroup of containers (default /berth)
      --bridge-name NAME      Linux bridge of the default network (default berth0)
      --bip CIDR              Address of the default bridge (default 172.17.0.1/16 unless in use)
      --monitor-pool N        Container monitors kept started ahead of need, at least (default 2;
                              bursts of starts raise it for a while; 0: one started per container)
  -l, --log-level LEVEL       error, warn, info or debug (default info)
`;

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, specs);
  if (flags.bools.get('help')) {
    process.stdout.write(usage);
    return 0;
  }
  const host = flags.strings.get('host') ?? 'unix:///run/berth/berth.sock';
  if (!host.startsWith('unix://')) {
    process.stderr.write(`berth daemon: only unix:// hosts are supported, got ${host}\n`);
    return 1;
  }
  const pool = flags.strings.get('monitor-pool');
  if (pool !== undefined && !/^\d+$/.test(pool)) {
    process.stderr.write(`berth daemon: --monitor-pool wants a number, got ${pool}\n`);
    return 1;
  }
  setLogLevel((flags.strings.get('log-level') as LogLevel | undefined) ?? (process.env['BERTH_LOG_LEVEL'] as LogLevel | undefined) ?? 'info');
  const { runEngineDaemon } = await import('../server/engine-daemon.js');
  const controller = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => controller.abort());
  await runEngineDaemon(
    {
      root: flags.strings.get('root') ?? '/var/lib/berth',
      execRoot: flags.strings.get('exec-root') ?? '/run/berth',
      socketPath: host.slice('unix://'.length),
      defaultRuntime: flags.strings.get('default-runtime') ?? 'runc',
      cgroupParent: flags.strings.get('cgroup-parent') ?? '/berth',
      bridgeName: flags.strings.get('bridge-name') ?? 'berth0',
      ...(flags.strings.has('bip') ? { bip: flags.strings.get('bip')! } : {}),
      ...(pool !== undefined ? { monitorPoolSize: Number(pool) } : {}),
    },
    controller.signal,
    (socket) => process.stderr.write(`Berth engine ready on unix://${socket}\nUse it with:  export DOCKER_HOST=unix://${socket}; docker run --rm busybox echo hello\n`),
  );
  // Shut down cleanly: whatever handle a component failed to release must not keep the process alive.
  setTimeout(() => process.exit(0), 3000).unref();
  return 0;
}
