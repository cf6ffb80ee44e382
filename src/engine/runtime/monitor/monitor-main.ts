/**
 * Entry of a task monitor process (like containerd's shim or conmon). The
 * daemon starts it ahead of need, detached (setsid, stdio /dev/null and a log
 * file). It connects to the daemon's pool socket, waits idle for an
 * assignment and exits if the daemon goes away first; once assigned it runs
 * the task to its end whatever happens to the daemon.
 *
 * A monitor whose task ended goes back to the pool that started it (same
 * generation) instead of exiting: a Node start costs ~100 ms of CPU, more
 * than the rest of a container start. It retires after MAX_TASKS tasks, or
 * when the pool does not take it back (daemon gone or restarted, pool full).
 *
 * argv: --pool <socket> --token <token> --generation <g> [--close-fds 5,7]
 */
import { connect } from 'node:net';
// Not core/index.js: it pulls in node:crypto (~10 ms), and every container start pays the monitor's start-up.
import { errorMessage } from '../../../core/errors.js';
import { logger } from '../../../core/log.js';
import { closeInheritedFds, trySetPriority } from '../../../platform/linux/processes.js';
import { Frame, IDLE_NICE, onFrames, sendJson, type MonitorAssignment, type MonitorHello } from './protocol.js';
import { loadPty } from './child-process-io.js';
import { TaskMonitor } from './task-monitor.js';

const log = logger('monitor');
const PTY_PRELOAD_DELAY_MS = 200;
/** Tasks one monitor process serves before it retires (bounds whatever a task leaves in its heap). */
const MAX_TASKS = 100;

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`monitor: missing ${name}`);
  return v;
}

/**
 * One turn in the pool: idle until assigned, then the task to its end.
 * 'done' when a task ran and ended (the monitor may serve another);
 * 'exit' when the daemon went away or the task never started.
 */
function serveOnce(poolPath: string, hello: MonitorHello): Promise<'done' | 'exit'> {
  return new Promise((resolve) => {
    const pool = connect(poolPath);
    let monitor: TaskMonitor | undefined;
    let startRequested = false;
    let settled = false;
    const settle = (outcome: 'done' | 'exit') => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    pool.on('error', () => {});
    pool.on('connect', () => {
      sendJson(pool, hello);
      // Idle time is free: pay for the native pty module then, not at a tty start. Not at once:
      // a monitor started because a start is waiting for it is assigned right away.
      setTimeout(() => {
        if (monitor) return;
        try {
          loadPty();
        } catch (e) {
          log.warn('node-pty unavailable', { error: errorMessage(e) });
        }
      }, PTY_PRELOAD_DELAY_MS).unref();
    });
    pool.on('close', () => {
      // Idle, or assigned but never told to start: the daemon is gone, so is our purpose.
      if (!monitor) settle('exit');
      else if (!startRequested) void monitor.abandon().then(() => settle('exit'));
    });
    onFrames(pool, (kind, payload) => {
      if (kind === Frame.Resize && monitor) {
        const s = JSON.parse(payload.toString('utf8')) as { rows: number; cols: number };
        return monitor.resize(s.rows, s.cols);
      }
      if (kind !== Frame.Json) return;
      const msg = JSON.parse(payload.toString('utf8')) as { op: string; assignment?: MonitorAssignment };
      if (msg.op === 'assign' && msg.assignment && !monitor) {
        trySetPriority(0, 0); // back from the pool's idle priority: runc inherits ours
        const m = new TaskMonitor(msg.assignment);
        monitor = m;
        void m.finished.then(() => settle(startRequested ? 'done' : 'exit'));
        m.listen().then(
          () => {
            m.addControl(pool);
            sendJson(pool, { ok: true });
          },
          (e: unknown) => {
            sendJson(pool, { ok: false, error: errorMessage(e) });
            process.exit(1);
          },
        );
      } else if (msg.op === 'start' && monitor && !startRequested) {
        startRequested = true;
        const m = monitor;
        m.start().then(
          (r) => sendJson(pool, { ok: true, ...r }),
          (e: unknown) => {
            sendJson(pool, { ok: false, error: errorMessage(e) });
            void m.abandon().then(() => setTimeout(() => settle('exit'), 50));
          },
        );
      }
    });
  });
}

async function main(): Promise<void> {
  process.title = 'berth-monitor';
  closeInheritedFds();
  const poolPath = arg('--pool');
  const generation = arg('--generation');
  let hello: MonitorHello = { op: 'hello', token: arg('--token'), pid: process.pid };
  for (let served = 1; ; served++) {
    if ((await serveOnce(poolPath, hello)) === 'exit' || served >= MAX_TASKS) process.exit(0);
    trySetPriority(0, IDLE_NICE);
    hello = { op: 'hello', recycled: generation, pid: process.pid };
  }
}

main().catch((e: unknown) => {
  log.error('monitor failed', { error: errorMessage(e) });
  process.exit(1);
});
