import { invalidArgument } from './errors.js';

/** Docker filters: `{"name":{"x":true}}` (map form) or `{"label":["a=b"]}` (list form), normalised. */
export type Filters = Map<string, string[]>;

export function parseFilters(raw: string | null | undefined): Filters {
  const out: Filters = new Map();
  if (raw === null || raw === undefined || raw === '') return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidArgument(`invalid filter '${raw}'`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidArgument(`invalid filter '${raw}'`);
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) out.set(key, value.map(String));
    else if (value !== null && typeof value === 'object') {
      out.set(key, Object.entries(value as Record<string, unknown>).filter(([, on]) => on === true).map(([k]) => k));
    } else throw invalidArgument(`invalid filter '${raw}'`);
  }
  return out;
}

/** Throws unless every filter key is one of `allowed` (Docker: "invalid filter 'x'"). */
export function checkFilterKeys(filters: Filters, allowed: readonly string[]): void {
  for (const key of filters.keys()) if (!allowed.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
}


/** True when the label filters (`key` or `key=value`, all must hold) match labels. */
export function labelsMatch(filters: Filters, labels: Record<string, string> | null | undefined, key = 'label'): boolean {
  const wanted = filters.get(key);
  if (!wanted) return true;
  const have = labels ?? {};
  return wanted.every((v) => {
    const eq = v.indexOf('=');
    return eq < 0 ? v in have : have[v.slice(0, eq)] === v.slice(eq + 1);
  });
}
