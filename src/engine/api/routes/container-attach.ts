import type { Writable } from 'node:stream';
import { errorMessage, invalidArgument } from '../../../core/index.js';
import type { ContainerService, TaskAttachment } from '../../containers/index.js';
import type { HijackedConnection } from '../response.js';
import type { Router } from '../router.js';
import { frame, stdWriters } from '../stdcopy.js';

/**
 * Streams of one hijacked connection: the requested outputs (framed unless
 * TTY) and stdin. The connection closes once every output has ended, i.e.
 * when the process exited — not when the client half-closes its side.
 */
function attachmentFor(conn: HijackedConnection, opts: { tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): TaskAttachment {
  const writers = stdWriters(conn.output, opts.tty);
  const outputs: Writable[] = [];
  const attachment: TaskAttachment = {};
  if (opts.stdout) outputs.push((attachment.stdout = writers.stdout));
  if (opts.stderr && !opts.tty) outputs.push((attachment.stderr = writers.stderr));
  if (opts.stderr && opts.tty && !opts.stdout) outputs.push((attachment.stdout = writers.stdout));
  if (opts.stdin) attachment.stdin = conn.input;
  else conn.input.resume();
  let open = outputs.length;
  const finished = (): void => {
    if (--open === 0) conn.close();
  };
  for (const w of outputs) w.on('finish', finished);
  return attachment;
}

export function registerAttachRoutes(router: Router, containers: ContainerService): void {
  router.post('/containers/{id}/attach', async (req, res) => {
    const rec = containers.get(req.param('id'));
    const stream = req.bool('stream');
    const logs = req.bool('logs');
    if (!stream && !logs) throw invalidArgument('Bad parameters: you must choose at least one stream');
    const tty = rec.Config.Tty ?? false;
    const opts = { tty, stdin: req.bool('stdin'), stdout: req.bool('stdout'), stderr: req.bool('stderr') };
    const conn = res.hijack();
    if (logs) {
      const w = stdWriters(conn.output, tty);
      const ac = new AbortController();
      for await (const entry of containers.logs(rec.Id, { stdout: opts.stdout, stderr: opts.stderr, follow: false, tail: 'all', sinceNs: 0, untilNs: Infinity, signal: ac.signal })) {
        (entry.stream === 'stderr' ? w.stderr : w.stdout).write(entry.line);
      }
    }
    if (!stream) {
      conn.close();
      return;
    }
    // A client that is gone for good (not merely half-closed) lets go of the container's streams.
    const gone = new AbortController();
    const detach = await containers.attach(rec.Id, { ...attachmentFor(conn, opts), signal: gone.signal });
    void conn.closed.then(() => {
      detach();
      gone.abort();
    });
  });

  router.post('/exec/{id}/start', async (req, res) => {
    const body = await req.json<{ Detach?: boolean; Tty?: boolean }>({});
    const exec = containers.execs.get(req.param('id'));
    if (body.Detach) {
      const started = await containers.execs.start(exec.ID, {});
      void started.exit.catch(() => {});
      res.empty(200);
      return;
    }
    // Validate before hijacking so errors still reach the client as JSON.
    if (exec.started) throw invalidArgument(`Error: Exec command ${exec.ID} has already run`);
    const conn = res.hijack();
    const attachment = attachmentFor(conn, { tty: exec.Tty, stdin: exec.OpenStdin, stdout: exec.OpenStdout, stderr: exec.OpenStderr });
    try {
      const started = await containers.execs.start(exec.ID, attachment);
      await started.exit;
      if (!exec.OpenStdout && !exec.OpenStderr) conn.close();
    } catch (err) {
      // After the hijack dockerd reports the failure on the (framed) stdout stream.
      const message = Buffer.from(`${errorMessage(err)}\r\n`);
      conn.output.end(exec.Tty ? message : frame(1, message));
    }
  });

  router.post('/exec/{id}/resize', async (req, res) => {
    const h = req.int('h');
    const w = req.int('w');
    if (h === undefined || w === undefined) throw invalidArgument('invalid resize parameters');
    await containers.execs.resize(req.param('id'), h, w);
    res.empty(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  router.get('/exec/{id}/json', async (req, res) => {
    res.json(200, containers.execs.inspect(req.param('id')));
  });
}
