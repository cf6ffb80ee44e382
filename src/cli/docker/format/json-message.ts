/**
 * jsonmessage.DisplayJSONMessagesStream: progress streams of pull, load,
 * import and push. On a terminal, lines with an id are redrawn in place;
 * elsewhere progress-bar updates are skipped and every other message is one
 * line. An `error` message ends the stream with that message.
 */
import { jsonLines } from '../../engine-client/json-lines.js';
import type { JsonMessage } from '../../engine-client/types.js';

export class JsonMessageError extends Error {
  override name = 'JsonMessageError';
}

function hasProgress(m: JsonMessage): boolean {
  const d = m.progressDetail;
  return d !== undefined && ((d.current ?? 0) > 0 || (d.total ?? 0) > 0);
}

function render(m: JsonMessage, terminal: boolean): string | undefined {
  let endl = '';
  let out = '';
  if (terminal && m.stream === undefined && m.progressDetail !== undefined) {
    out += '\x1b[2K\r';
    endl = '\r';
  } else if (!terminal && hasProgress(m)) return undefined;
  if (m.id) out += `${m.id}: `;
  if (m.progressDetail !== undefined && terminal) out += `${m.status ?? ''} ${m.progress ?? ''}${endl}`;
  else if (m.progress) out += `${m.status ?? ''} ${m.progress}${endl}`;
  else if (m.stream !== undefined) out += `${m.stream}${endl}`;
  else out += `${m.status ?? ''}${endl}\n`;
  return out;
}

export interface DisplayOptions {
  terminal: boolean;
  onAux?: (aux: unknown) => void;
}

/** Copies a JSON-lines progress stream to `out`; rejects on an error message. */
export async function displayJsonMessages(source: AsyncIterable<Buffer | string>, out: NodeJS.WritableStream, options: DisplayOptions): Promise<void> {
  const lines = new Map<string, number>();
  let total = 0;
  for await (const m of jsonLines<JsonMessage>(source)) {
    if (m.error !== undefined || m.errorDetail !== undefined) throw new JsonMessageError(m.errorDetail?.message ?? m.error ?? 'unknown error');
    if (m.aux !== undefined) {
      options.onAux?.(m.aux);
      continue;
    }
    const text = render(m, options.terminal);
    if (text === undefined) continue;
    if (!options.terminal || !m.id || m.stream !== undefined) {
      out.write(text);
      if (options.terminal && m.id) {
        lines.set(m.id, total);
        total++;
      }
      continue;
    }
    const line = lines.get(m.id);
    if (line === undefined) {
      lines.set(m.id, total);
      total++;
      out.write(`${text}\n`.replace(/\r\n$/, '\n'));
      continue;
    }
    const up = total - line;
    out.write(`\x1b[${up}A${text}\x1b[${up}B\r`);
  }
}
