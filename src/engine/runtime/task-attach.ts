import { conflict } from '../../core/index.js';
import type { Attachment } from './index.js';
import { MonitorConnection } from './monitor-connection.js';
import { Frame } from './monitor/protocol.js';

/**
 * Connects one client to a task's monitor: output frames into the client's
 * writables (stderr merged into stdout with a tty), its stdin into Stdin
 * frames. Resolves once the monitor registered the client.
 */
export async function attachToMonitor(socketPath: string, attachment: Attachment, tty: boolean): Promise<MonitorConnection> {
  const conn = await MonitorConnection.open(socketPath);
  const reply = await conn
    .request<{ ok: boolean; error?: string }>({ op: 'attach', stdin: attachment.stdin !== undefined, stdout: attachment.stdout !== undefined, stderr: (tty ? attachment.stdout : attachment.stderr) !== undefined })
    .catch((e: unknown) => {
      conn.close();
      throw e;
    });
  if (!reply.ok) {
    conn.close();
    throw conflict(reply.error ?? 'cannot attach');
  }
  plumb(conn, attachment, tty);
  return conn;
}

/** Wires an accepted connection to a client's streams; also used by exec. */
export function plumb(conn: MonitorConnection, attachment: Attachment, tty: boolean, onExit?: (payload: Buffer) => void): void {
  conn.stream((kind, payload) => {
    if (kind === Frame.Stdout) attachment.stdout?.write(payload);
    else if (kind === Frame.Stderr) (tty ? attachment.stdout : attachment.stderr)?.write(payload);
    else if (kind === Frame.Exit) onExit?.(payload);
  });
  const stdin = attachment.stdin;
  const onData = (d: Buffer | string) => conn.send(Frame.Stdin, Buffer.isBuffer(d) ? d : Buffer.from(d));
  const onEnd = () => conn.send(Frame.StdinEof, Buffer.alloc(0));
  if (stdin) {
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onEnd);
  }
  const onAbort = () => conn.close();
  if (attachment.signal?.aborted) conn.close();
  attachment.signal?.addEventListener('abort', onAbort, { once: true });
  void conn.closed.then(() => {
    stdin?.off('data', onData);
    stdin?.off('end', onEnd);
    attachment.signal?.removeEventListener('abort', onAbort);
    attachment.onClose?.();
  });
}
