/**
 * `/healthz`, `/livez`, `/readyz` with named checks, `?verbose` listings,
 * `?exclude=<check>` and `/<endpoint>/<check>` for one check, like
 * k8s.io/apiserver/pkg/server/healthz.
 */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export async function runHealth(endpoint: string, checks: HealthCheck[], path: string, query: URLSearchParams): Promise<{ code: number; body: string }> {
  const sub = path.slice(endpoint.length + 1);
  const excluded = new Set(query.getAll('exclude'));
  const selected = sub === '' ? checks.filter((c) => !excluded.has(c.name)) : checks.filter((c) => c.name === sub);
  if (sub !== '' && selected.length === 0) return { code: 404, body: '404 page not found\n' };
  const lines: string[] = [];
  let failed = false;
  for (const c of selected) {
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  const name = endpoint.slice(1);
  if (sub !== '') return failed ? { code: 500, body: `internal server error: ${sub} check failed\n` } : { code: 200, body: 'ok' };
  if (failed) return { code: 500, body: `${lines.join('\n')}\n${name} check failed\n` };
  if (query.has('verbose')) return { code: 200, body: `${lines.join('\n')}\n${name} check passed\n` };
  return { code: 200, body: 'ok' };
}
