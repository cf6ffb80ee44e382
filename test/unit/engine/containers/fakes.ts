import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notFound, type ContainerConfig } from '../../../../src/core/index.js';
import { EventBus, type EngineEvent } from '../../../../src/engine/events/index.js';
import {
  ContainerService,
  type ContainerImages,
  type ContainerNetworking,
  type ContainerRecord,
  type ContainerRuntime,
  type ContainerVolumes,
  type ExecRequest,
  type LogEntry,
  type RunningExec,
  type TaskAttachment,
  type TaskExit,
  type TaskSetup,
} from '../../../../src/engine/containers/index.js';

interface FakeTask {
  pid: number;
  setup: TaskSetup;
  attachments: TaskAttachment[];
  exit: Promise<TaskExit>;
  finish(code: number, oom?: boolean): void;
  signals: string[];
}

/** An in-memory runtime: tasks run until the test calls exit(). */
export class FakeRuntime implements ContainerRuntime {
  readonly tasks = new Map<string, FakeTask>();
  readonly deleted: string[] = [];
  failNextStart: Error | undefined;
  /** Signals that make the fake task exit, with this code. */
  exitOn: Record<string, number> = { SIGKILL: 137, SIGTERM: 143 };
  private nextPid = 1000;

  async start(rec: ContainerRecord, setup: TaskSetup, attachments: TaskAttachment[]): Promise<{ pid: number; startedAt: Date }> {
    if (this.failNextStart) {
      const e = this.failNextStart;
      this.failNextStart = undefined;
      throw e;
    }
    let finish!: (code: number, oom?: boolean) => void;
    const exit = new Promise<TaskExit>((resolve) => {
      finish = (code, oom = false) => resolve({ exitCode: code, finishedAt: new Date(), oomKilled: oom });
    });
    const task: FakeTask = { pid: this.nextPid++, setup, attachments, exit, finish, signals: [] };
    this.tasks.set(rec.Id, task);
    return { pid: task.pid, startedAt: new Date() };
  }
  exit(id: string, code: number, oom = false): void {
    this.tasks.get(id)!.finish(code, oom);
  }
  async attach(id: string, a: TaskAttachment): Promise<void> {
    this.task(id).attachments.push(a);
  }
  wait(id: string): Promise<TaskExit> {
    return this.task(id).exit;
  }
  async kill(id: string, signal: string): Promise<void> {
    const t = this.task(id);
    t.signals.push(signal);
    const code = this.exitOn[signal];
    if (code !== undefined) t.finish(code);
  }
  async pause(): Promise<void> {}
  async resume(): Promise<void> {}
  async resize(): Promise<void> {}
  /** Set to hold exec starts until it settles. */
  execGate: Promise<void> | undefined;
  readonly execResizes: Array<[number, number]> = [];
  async exec(_id: string, _r: ExecRequest, _a: TaskAttachment): Promise<RunningExec> {
    await this.execGate;
    return { pid: 1, exit: Promise.resolve(0), resize: async (rows, cols) => void this.execResizes.push([rows, cols]) };
  }
  async stats(): Promise<Record<string, unknown>> {
    return {};
  }
  async top(): Promise<{ Titles: string[]; Processes: string[][] }> {
    return { Titles: ['PID'], Processes: [['1']] };
  }
  async delete(id: string): Promise<void> {
    this.deleted.push(id);
  }
  restoreResult: { id: string; running: boolean; pid: number; exit?: TaskExit }[] = [];
  async restore(): Promise<{ id: string; running: boolean; pid: number; exit?: TaskExit }[]> {
    return this.restoreResult;
  }
  async *logs(): AsyncIterable<LogEntry> {}
  private task(id: string): FakeTask {
    const t = this.tasks.get(id);
    if (!t) throw notFound(`no task ${id}`);
    return t;
  }
}

export class FakeImages implements ContainerImages {
  readonly layers = new Set<string>();
  readonly images = new Map<string, { id: string; config: ContainerConfig }>([
    ['busybox:test', { id: 'sha256:' + 'b'.repeat(64), config: { Cmd: ['/bin/sh'], Env: ['PATH=/bin'], WorkingDir: '' } }],
  ]);
  async resolve(ref: string): Promise<{ id: string; config: ContainerConfig }> {
    const img = this.images.get(ref);
    if (!img) throw notFound(`No such image: ${ref}`);
    return img;
  }
  async createLayer(id: string): Promise<[]> {
    this.layers.add(id);
    return [];
  }
  async layerMounts(): Promise<[]> {
    return [];
  }
  async removeLayer(id: string, options: { after?: Promise<unknown> } = {}): Promise<void> {
    await options.after?.catch(() => {});
    this.layers.delete(id);
  }
  containerLayers(): string[] {
    return [...this.layers];
  }
  graphDriverData(): Record<string, string> {
    return {};
  }
}

export class FakeNetworking implements ContainerNetworking {
  readonly up = new Set<string>();
  async onCreate(): Promise<void> {}
  async setUp(rec: ContainerRecord): Promise<{ netnsPath: string; mounts: [] }> {
    this.up.add(rec.Id);
    return { netnsPath: `/fake/netns/${rec.Id}`, mounts: [] };
  }
  async tearDown(rec: ContainerRecord): Promise<void> {
    this.up.delete(rec.Id);
  }
  async onRemove(): Promise<void> {}
  async restore(rec: ContainerRecord): Promise<void> {
    this.up.add(rec.Id);
  }
}

export class FakeVolumes implements ContainerVolumes {
  readonly removed: { id: string; anonymous: boolean }[] = [];
  async onCreate(): Promise<void> {}
  async setUp(): Promise<[]> {
    return [];
  }
  async onRemove(rec: ContainerRecord, o: { removeAnonymous: boolean }): Promise<void> {
    this.removed.push({ id: rec.Id, anonymous: o.removeAnonymous });
  }
}

export interface Harness {
  service: ContainerService;
  runtime: FakeRuntime;
  images: FakeImages;
  networking: FakeNetworking;
  volumes: FakeVolumes;
  events: EngineEvent[];
  dir: string;
  /** A new service on the same state directory (a daemon restart). */
  restart(): ContainerService;
  close(): void;
}

export function harness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'berth-containers-'));
  const runtime = new FakeRuntime();
  const images = new FakeImages();
  const networking = new FakeNetworking();
  const volumes = new FakeVolumes();
  const bus = new EventBus();
  const events: EngineEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const make = (): ContainerService =>
    new ContainerService({
      options: { containersDir: join(dir, 'containers'), rootfsDir: join(dir, 'rootfs'), defaultRuntime: 'runc', runtimes: ['runc'] },
      mounter: { mountAll: async () => {}, unmountIfMounted: async () => false },
      runtime,
      images,
      networking,
      volumes,
      events: bus,
    });
  return { service: make(), runtime, images, networking, volumes, events, dir, restart: make, close: () => rmSync(dir, { recursive: true, force: true }) };
}

export const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));
