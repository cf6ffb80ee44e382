/**
 * Where the engine listens: `BERTH_HOST`, then `DOCKER_HOST`, then Berth's
 * default socket. `unix://PATH` and `tcp://HOST:PORT` (plain HTTP) are
 * understood, like the docker CLI's `-H` forms without TLS.
 */
export const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

export type EngineHost =
  | { kind: 'unix'; url: string; socketPath: string }
  | { kind: 'tcp'; url: string; hostname: string; port: number };

export function hostFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env['BERTH_HOST'] || env['DOCKER_HOST'] || DEFAULT_HOST;
}

export function parseHost(url: string): EngineHost {
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    if (socketPath === '') throw new Error(`invalid bind address (${url}): empty path`);
    return { kind: 'unix', url, socketPath };
  }
  const m = /^(?:tcp|http):\/\/\[?([^\]/]*?)\]?(?::(\d+))?\/?$/.exec(url);
  if (m) return { kind: 'tcp', url, hostname: m[1] || '127.0.0.1', port: Number(m[2] ?? 2375) };
  if (url.startsWith('/')) return { kind: 'unix', url: `unix://${url}`, socketPath: url };
  throw new Error(`unable to parse docker host \`${url}\``);
}
