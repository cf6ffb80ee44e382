/**
 * Finds duplicate object keys in a JSON text (JSON.parse silently keeps the
 * last one). Paths are rendered as Kubernetes' strict decoder reports them:
 * "spec.replicas", "spec.containers[0].name".
 */

export function findDuplicateFields(text: string): string[] {
  const dups: string[] = [];
  let i = 0;
  const n = text.length;

  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const str = (): string => {
    // Assumes text[i] === '"'. Jumps from quote to quote natively: values can be long.
    const start = i;
    let end = text.indexOf('"', i + 1);
    while (end > 0) {
      let backslashes = 0;
      for (let k = end - 1; k > start && text.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    if (end < 0) end = n;
    i = end + 1;
    const raw = text.slice(start + 1, end);
    // Only escaped keys need JSON's unescaping.
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return raw;
    }
  };
  const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

  const value = (path: string, depth: number): void => {
    if (depth > 10000) throw new Error('too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      while (i < n) {
        ws();
        if (text[i] !== '"') return;
        const key = str();
        const p = join(path, key);
        if (seen.has(key)) dups.push(p);
        seen.add(key);
        ws();
        if (text[i] !== ':') return;
        i++;
        value(p, depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') i++;
        return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      let idx = 0;
      while (i < n) {
        value(`${path}[${idx}]`, depth + 1);
        idx++;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') i++;
        return;
      }
    } else if (c === '"') {
      str();
    } else {
      while (i < n && !',}] \n\r\t'.includes(text[i]!)) i++;
    }
  };

  try {
    value('', 0);
  } catch {
    return dups;
  }
  return dups;
}
