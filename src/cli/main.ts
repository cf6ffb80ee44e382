/**
 * The `berth` executable: one verb per file in this folder, loaded lazily so
 * that a short command (`berth ps`) does not pay for the daemon's imports.
 * Each verb module exports `run(args: string[]): Promise<number>` (the exit code).
 */
import { errorMessage, isBerthError } from '../core/index.js';

const verbs: Record<string, string> = {
  daemon: './daemon.js',
  server: './server.js',
  agent: './agent.js',
  registry: './registry.js',
  compose: './compose.js',
};

/** Docker-like verbs live in cli/docker/ and are resolved by name. */
function modulePath(verb: string): string | undefined {
  if (verb in verbs) return verbs[verb];
  if (/^[a-z][a-z-]*$/.test(verb)) return `./docker/${verb}.js`;
  return undefined;
}

const usage = `Usage: berth COMMAND [OPTIONS]

Engine:
  daemon        Run the container engine (Docker Engine API) in the foreground
  run, ps, images, logs, exec, stop, start, rm, inspect, pull, import, load,
  save, tag, rmi, cp, events, stats, version, info
                Docker-like commands against the engine (BERTH_HOST or DOCKER_HOST)

Cluster:
  server        Run the Kubernetes API server and control plane
`;

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(usage);
    return verb === undefined ? 1 : 0;
  }
  const path = modulePath(verb);
  let mod: { run(args: string[]): Promise<number> };
  try {
    if (path === undefined) throw new Error('bad verb');
    mod = (await import(path)) as typeof mod;
  } catch (err) {
    if (isModuleNotFound(err)) {
      process.stderr.write(`berth: '${verb}' is not a berth command.\nSee 'berth --help'\n`);
      return 1;
    }
    throw err;
  }
  return mod.run(rest);
}

function isModuleNotFound(err: unknown): boolean {
  return (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || (err instanceof Error && err.message === 'bad verb');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`berth: ${isBerthError(err) ? err.message : errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);
