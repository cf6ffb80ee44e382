/**
 * Newline-delimited JSON from a streaming response (events, stats,
 * pull/load/import progress). Each complete line is parsed as it arrives.
 */
export async function* jsonLines<T>(source: AsyncIterable<Buffer | string>): AsyncGenerator<T> {
  let pending = '';
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line !== '') yield JSON.parse(line) as T;
    }
  }
  const rest = pending.trim();
  if (rest !== '') yield JSON.parse(rest) as T;
}

/** Like jsonLines, with each line's text (for numbers beyond 2^53, such as timeNano). */
export async function* jsonLinesRaw<T>(source: AsyncIterable<Buffer | string>): AsyncGenerator<{ value: T; raw: string }> {
  let pending = '';
  const parse = (line: string): { value: T; raw: string } => ({ value: JSON.parse(line) as T, raw: line });
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line !== '') yield parse(line);
    }
  }
  if (pending.trim() !== '') yield parse(pending.trim());
}
