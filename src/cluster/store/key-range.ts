/**
 * Prefix ranges over string keys. SQLite compares TEXT as UTF-8 bytes and
 * etcd compares keys as bytes, and UTF-8 byte order equals code point order,
 * so "every key starting with p" is the half-open range [p, prefixEnd(p)).
 */

/** Smallest string greater than every string starting with prefix; undefined for '' (no bound). */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop() as string;
    let next = (last.codePointAt(0) as number) + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // surrogates are not code points
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** First key to list: the later of prefix and startKey. */
export function rangeStart(prefix: string, startKey: string | undefined): string {
  return startKey !== undefined && compareKeys(startKey, prefix) > 0 ? startKey : prefix;
}

/** Byte-order (code point order) comparison, unlike JS's UTF-16 `<`. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
