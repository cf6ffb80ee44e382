import { createServer, type Server, type Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { logger, unavailable } from '../../core/index.js';
import { MonitorConnection } from './monitor-connection.js';
import { closeFdsArgs, inheritableFds, spawnDetached, trySetPriority } from '../../platform/linux/processes.js';
import { currentSpawner } from '../../platform/linux/spawner.js';
import { Frame, IDLE_NICE } from './monitor/protocol.js';
import { PoolSizer } from './pool-sizer.js';

const log = logger('runtime.pool');
const MONITOR_MAIN = fileURLToPath(new URL('./monitor/monitor-main.js', import.meta.url));
const SPAWN_TIMEOUT_MS = 10_000;
/** Long enough for the monitor of a short task to come back first, so that steady work spawns none. */
const REFILL_DELAY_MS = 500;
const TRIM_INTERVAL_MS = 60_000;

export interface MonitorPoolOptions {
  /** Unix socket idle monitors connect to. */
  socketPath: string;
  /** Appended to by every monitor (its stderr): the daemon holds no pipe of theirs. */
  logFile: string;
  /** Idle monitors kept at least; bursts of starts raise it for a while (see PoolSizer). */
  size: number;
  /** Upper bound of the adaptive size (default 32). */
  maxSize?: number;
}

/**
 * Pre-started idle monitors. A Node start costs ~100 ms here; a task start
 * must not pay it, so monitors start ahead of need (detached, in their own
 * session) and connect back to wait for an assignment. A monitor whose task
 * ended comes back and is taken again while the pool has room, so steady
 * work spawns no monitors at all. An idle monitor whose connection drops
 * (daemon gone, pool closed or trimmed) exits.
 */
export class MonitorPool {
  private server: Server | undefined;
  private readonly idle: MonitorConnection[] = [];
  private readonly waiters: Array<(c: MonitorConnection) => void> = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly sizer: PoolSizer;
  private trimTimer: NodeJS.Timeout | undefined;
  /** Starts in flight, for the sizer. */
  private starting = 0;
  private closed = false;
  /** Names this pool to its monitors: only its own come back (never those of an earlier daemon). */
  private readonly generation = randomBytes(8).toString('hex');

  constructor(private readonly options: MonitorPoolOptions) {
    // Size 0 means no pool at all (a monitor per start), not an adaptive one.
    this.sizer = new PoolSizer(options.size, options.size === 0 ? 0 : Math.max(options.size, options.maxSize ?? 32));
  }

  async start(): Promise<void> {
    await rm(this.options.socketPath, { force: true });
    this.server = createServer({ allowHalfOpen: true }, (s) => this.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.socketPath, () => resolve());
    });
    this.fill();
    // Monitors kept for a burst long past leave again.
    this.trimTimer = setInterval(() => this.trim(), TRIM_INTERVAL_MS).unref();
  }

  /** An idle monitor's connection, spawning one when none is ready. Call startDone() once the start is over. */
  acquire(): Promise<MonitorConnection> {
    if (this.closed) return Promise.reject(unavailable('runtime is closed'));
    this.sizer.observe(++this.starting);
    const c = this.idle.shift();
    if (c) {
      // Refill later: a spawn blocks this process for milliseconds and a Node start
      // takes a core for ~100 ms, both better spent on the start in progress; and
      // a short task's monitor is back by then, making the spawn needless.
      this.scheduleFill();
      return Promise.resolve(c);
    }
    const got = new Promise<MonitorConnection>((resolve) => this.waiters.push(resolve));
    this.fill();
    return got;
  }

  /** A start that acquired a monitor is over (running or failed): it no longer counts as in flight. */
  startDone(): void {
    this.starting = Math.max(0, this.starting - 1);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.fillTimer) clearTimeout(this.fillTimer);
    if (this.trimTimer) clearInterval(this.trimTimer);
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    for (const c of this.idle.splice(0)) c.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    await rm(this.options.socketPath, { force: true });
  }

  private fillTimer: NodeJS.Timeout | undefined;

  private scheduleFill(): void {
    if (this.fillTimer || this.closed) return;
    this.fillTimer = setTimeout(() => {
      this.fillTimer = undefined;
      this.fill();
    }, REFILL_DELAY_MS);
    this.fillTimer.unref();
  }

  private fill(): void {
    const target = this.sizer.target();
    while (!this.closed && this.idle.length + this.pending.size < target + this.waiters.length) {
      // A start is waiting for this one: it must not start at idle priority behind the busy machine.
      this.spawnOne(this.pending.size < this.waiters.length);
    }
  }

  private trim(): void {
    const target = this.sizer.target();
    while (this.idle.length > target) this.idle.pop()?.close();
  }

  private spawnOne(urgent: boolean): void {
    const token = randomBytes(8).toString('hex');
    const args = [MONITOR_MAIN, '--pool', this.options.socketPath, '--token', token, '--generation', this.generation];
    // Stock monitors start at low priority; an assigned one raises itself back.
    const started = (pid: number | undefined): void => {
      if (pid === undefined) log.error('monitor spawn failed', { cmd: process.execPath });
      else if (!urgent) trySetPriority(pid, IDLE_NICE);
    };
    const spawner = currentSpawner();
    // The spawner closed what it inherited: nothing of ours leaks into the monitor through it.
    if (spawner) spawner.startDetached(process.execPath, args, { logFile: this.options.logFile }).then(started, () => started(undefined));
    else started(spawnDetached(process.execPath, [...args, ...closeFdsArgs(inheritableFds())], { logFile: this.options.logFile }));
    this.pending.set(
      token,
      setTimeout(() => {
        this.pending.delete(token);
        log.warn('monitor did not check in', { token });
        this.fill();
      }, SPAWN_TIMEOUT_MS).unref(),
    );
  }

  private onConnection(socket: Socket): void {
    const conn = new MonitorConnection(socket);
    void conn.next().then((f) => {
      if (!f || f.kind !== Frame.Json || this.closed) return conn.close();
      const hello = JSON.parse(f.payload.toString('utf8')) as Partial<{ token: string; recycled: string }>;
      if (hello.recycled !== undefined) {
        // Room for it: a start waiting, or fewer idle than the most a burst wanted lately.
        const wanted = this.waiters.length > 0 || this.idle.length + this.pending.size < this.sizer.target();
        if (hello.recycled !== this.generation || !wanted) return conn.close();
      } else {
        const timer = hello.token !== undefined ? this.pending.get(hello.token) : undefined;
        if (!timer) return conn.close();
        clearTimeout(timer);
        this.pending.delete(hello.token as string);
      }
      const w = this.waiters.shift();
      if (w) {
        w(conn);
        this.fill();
      } else {
        this.idle.push(conn);
        void conn.closed.then(() => {
          const i = this.idle.indexOf(conn);
          if (i >= 0) this.idle.splice(i, 1);
        });
      }
    });
  }
}
