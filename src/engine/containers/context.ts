import type { EventBus } from '../events/index.js';
import type { ContainerStore } from './container-store.js';
import type { ContainerImages, ContainerNetworking, ContainerRuntime, ContainerVolumes } from './hooks.js';
import type { KeyedLock } from './keyed-lock.js';
import type { ContainerRecord } from './types.js';
import type { Waiters } from './waiters.js';

export interface ContainerServiceOptions {
  /** `<root>/containers`: records and logs. */
  containersDir: string;
  /** Where container root filesystems are mounted while they run. */
  rootfsDir: string;
  defaultRuntime: string;
  runtimes: readonly string[];
  /** Installed runtimes that cannot run containers here, with the reason (for a clear create error). */
  unusableRuntimes?: Readonly<Record<string, string>>;
}

/** What the container service's parts share. */
/** Mounting of container root filesystems (platform/linux in production, a fake in unit tests). */
export interface RootfsMounter {
  mountAll(mounts: readonly import('../../platform/linux/mount.js').Mount[], target: string): Promise<void>;
  unmountIfMounted(target: string): Promise<boolean>;
}

export interface ContainerContext {
  mounter: RootfsMounter;
  options: ContainerServiceOptions;
  store: ContainerStore;
  runtime: ContainerRuntime;
  images: ContainerImages;
  networking: ContainerNetworking;
  volumes: ContainerVolumes;
  events: EventBus;
  locks: KeyedLock;
  waiters: Waiters;
}

/** Publishes a container event with Docker's attributes (image, name, labels). */
export function emitContainerEvent(ctx: ContainerContext, rec: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
  ctx.events.publish({
    type: 'container',
    action,
    id: rec.Id,
    attributes: { ...(rec.Config.Labels ?? {}), image: rec.ImageName, name: rec.Name, ...extra },
  });
}
