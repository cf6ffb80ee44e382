/**
 * encoding/json's Indent and Compact over raw JSON text: tokens (strings,
 * numbers, escapes) are kept byte for byte, so the daemon's output is shown
 * exactly as sent; empty objects and arrays stay `{}` and `[]`.
 */
export function jsonIndent(src: string, prefix = '', indent = '    '): string {
  return reformat(src, prefix, indent, true);
}

export function jsonCompact(src: string): string {
  return reformat(src, '', '', false);
}

function reformat(src: string, prefix: string, indent: string, pretty: boolean): string {
  let out = '';
  let depth = 0;
  const newline = (): void => {
    if (pretty) out += `\n${prefix}${indent.repeat(depth)}`;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '{' || c === '[') {
      let k = i + 1;
      while (k < src.length && ' \t\n\r'.includes(src[k]!)) k++;
      const close = c === '{' ? '}' : ']';
      if (src[k] === close) {
        out += c + close;
        i = k;
        continue;
      }
      out += c;
      depth++;
      newline();
    } else if (c === '}' || c === ']') {
      depth--;
      newline();
      out += c;
    } else if (c === ',') {
      out += c;
      newline();
    } else if (c === ':') out += pretty ? ': ' : ':';
    else out += c;
  }
  return out;
}
