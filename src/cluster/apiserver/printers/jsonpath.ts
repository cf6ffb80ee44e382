/**
 * The JSONPath subset CRD additionalPrinterColumns use (a simple path, in
 * Kubernetes' dialect without braces): `.spec.replicas`, `.a[0].b`,
 * `.a[*].b`, `.metadata.labels['app.kubernetes.io/name']`,
 * `.status.conditions[?(@.type=="Ready")].status`.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; value: string };

export function parseJsonPath(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      i++;
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      const name = s.slice(i, j);
      if (name === '*') steps.push({ kind: 'wildcard' });
      else if (name !== '') steps.push({ kind: 'field', name });
      i = j;
    } else if (c === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) throw new Error(`unterminated [ in ${expr}`);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else {
        const m = /^\?\(@\.([\w.-]+)\s*==\s*['"](.*)['"]\)$/.exec(inner);
        if (m === null) throw new Error(`unsupported JSONPath ${expr}`);
        steps.push({ kind: 'filter', path: m[1]!.split('.'), value: m[2]! });
      }
    } else {
      throw new Error(`unexpected ${c} in JSONPath ${expr}`);
    }
  }
  return steps;
}

function get(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}

/** All values the path selects (empty when nothing matches). */
export function evalJsonPath(root: unknown, expr: string): unknown[] {
  let current: unknown[] = [root];
  for (const step of parseJsonPath(expr)) {
    const next: unknown[] = [];
    for (const v of current) {
      switch (step.kind) {
        case 'field': {
          const x = get(v, step.name);
          if (x !== undefined) next.push(x);
          break;
        }
        case 'index':
          if (Array.isArray(v)) {
            const x = v[step.index < 0 ? v.length + step.index : step.index];
            if (x !== undefined) next.push(x);
          }
          break;
        case 'wildcard':
          if (Array.isArray(v)) next.push(...v);
          else if (typeof v === 'object' && v !== null) next.push(...Object.values(v));
          break;
        case 'filter':
          if (Array.isArray(v)) {
            for (const item of v) {
              const x = step.path.reduce<unknown>((acc, k) => get(acc, k), item);
              if (x !== undefined && String(x) === step.value) next.push(item);
            }
          }
          break;
      }
    }
    current = next;
  }
  return current;
}
