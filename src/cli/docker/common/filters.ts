/**
 * `-f/--filter name=value` flags to the daemon's `filters` query parameter
 * (the map form `{"name":{"value":true}}` the docker CLI sends).
 */
export function checkFilter(v: string): void {
  if (!v.includes('=')) throw new Error('bad format of filter (expected name=value)');
}

export type FilterArgs = Map<string, Set<string>>;

export function parseFilters(values: readonly string[]): FilterArgs {
  const out: FilterArgs = new Map();
  for (const v of values) {
    checkFilter(v);
    const i = v.indexOf('=');
    const key = v.slice(0, i).trim().toLowerCase();
    const value = v.slice(i + 1).trim();
    addFilter(out, key, value);
  }
  return out;
}

export function addFilter(f: FilterArgs, key: string, value: string): void {
  const set = f.get(key) ?? new Set<string>();
  set.add(value);
  f.set(key, set);
}

/** filters.ToJSON: undefined when there is nothing to filter on. */
export function filtersToJson(f: FilterArgs): string | undefined {
  if (f.size === 0) return undefined;
  const obj: Record<string, Record<string, boolean>> = {};
  for (const [k, values] of f) obj[k] = Object.fromEntries([...values].map((v) => [v, true]));
  return JSON.stringify(obj);
}
