/**
 * `--sig-proxy`: signals the CLI receives are sent to the container
 * (POST /containers/{id}/kill?signal=NAME), as ForwardAllSignals does;
 * SIGCHLD, SIGPIPE and SIGWINCH (handled as a resize) are not forwarded.
 */
import type { EngineClient } from '../../engine-client/engine-client.js';

export const FORWARDED: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGCONT', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGVTALRM', 'SIGPROF', 'SIGPWR', 'SIGSYS', 'SIGXCPU', 'SIGXFSZ'];

/** Installs the handlers; returns the function that removes them. */
export function forwardSignals(client: EngineClient, id: string, signals: readonly NodeJS.Signals[] = FORWARDED): () => void {
  const handlers = signals.map((sig) => {
    const handler = (): void => {
      client.discard('POST', `/containers/${id}/kill`, { query: { signal: sig.slice(3) } }).catch(() => {});
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return () => {
    for (const [sig, handler] of handlers) process.removeListener(sig, handler);
  };
}
