import type { ContainerLookup } from '../containers/hooks.js';
import type { EventBus } from '../events/index.js';
import { ContainerVolumeManager } from './container-volume-manager.js';
import { linuxVolumeKernel } from './linux-volume-kernel.js';
import type { VolumeKernel } from './types.js';
import { VolumeService } from './volume-service.js';

export interface VolumeSubsystemOptions {
  /** Daemon root (`--root`); volumes live in `<root>/volumes`. */
  root: string;
  lookup: ContainerLookup;
  events?: EventBus;
  /** Defaults to the real kernel; tests pass a fake. */
  kernel?: VolumeKernel;
}

export interface VolumeSubsystem {
  /** For the API routes (`/volumes`) and `/system/df`. */
  service: VolumeService;
  /** For the container service (ContainerVolumes hooks). */
  containers: ContainerVolumeManager;
}

/**
 * Builds and loads both halves. Call `containers.restore()` once the
 * container store has loaded its records.
 */
export async function createVolumeSubsystem(options: VolumeSubsystemOptions): Promise<VolumeSubsystem> {
  const kernel = options.kernel ?? linuxVolumeKernel;
  const service = new VolumeService({ root: options.root, kernel, ...(options.events ? { events: options.events } : {}) });
  const containers = new ContainerVolumeManager({ volumes: service, lookup: options.lookup, kernel, ...(options.events ? { events: options.events } : {}) });
  await service.init();
  await containers.init();
  return { service, containers };
}
