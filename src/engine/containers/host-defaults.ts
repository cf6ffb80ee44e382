import { invalidArgument, type ContainerConfig, type HostConfig } from '../../core/index.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE, normalizeCapabilities } from '../runtime/index.js';
import { normalizeSignal } from './signals.js';

/**
 * What dockerd fills in or normalises at create (adaptContainerSettings,
 * createContainerOSSpecificSettings, the /containers/create route), so that
 * inspect shows the values the container really runs with. Masked paths are
 * the runtime's list (20.10's plus /sys/devices/virtual/powercap, as later Dockers).
 */
export function adaptHostConfig(h: HostConfig): HostConfig {
  const out: HostConfig = { ...h };
  // Both 0 and any negative value mean "unlimited" (moby postContainersCreate).
  if (out.PidsLimit != null && out.PidsLimit <= 0) out.PidsLimit = null;
  // The CLI sends -1 for "not set".
  if (out.MemorySwappiness === -1) out.MemorySwappiness = null;
  if (out.Memory && out.Memory > 0 && !out.MemorySwap) out.MemorySwap = out.Memory * 2;
  if (!out.ShmSize) out.ShmSize = DEFAULT_SHM_SIZE;
  if (!out.IpcMode) out.IpcMode = 'private';
  if (!out.CgroupnsMode) out.CgroupnsMode = 'host';
  const privileged = out.Privileged === true;
  if (out.MaskedPaths == null && !privileged) out.MaskedPaths = [...DEFAULT_MASKED_PATHS];
  if (out.ReadonlyPaths == null && !privileged) out.ReadonlyPaths = [...DEFAULT_READONLY_PATHS];
  // generateSecurityOpt: SELinux labelling is disabled for these.
  if ((privileged || out.IpcMode === 'host' || out.PidMode === 'host') && !(out.SecurityOpt ?? []).some((o) => o.startsWith('label'))) {
    out.SecurityOpt = [...(out.SecurityOpt ?? []), 'label=disable'];
  }
  return out;
}

/** Go's strslice.StrSlice accepts a JSON string for Cmd and Entrypoint; so do we. */
export function normalizeStrSlices(config: ContainerConfig): ContainerConfig {
  const out = { ...config };
  for (const key of ['Cmd', 'Entrypoint'] as const) {
    const v = out[key] as unknown;
    if (typeof v === 'string') out[key] = [v];
  }
  return out;
}

/** Create-time checks dockerd makes on config values (the container is not created when they fail). */
export function validateCreateConfig(config: ContainerConfig, host: HostConfig): void {
  if (config.StopSignal) normalizeSignal(config.StopSignal);
  for (const [field, names] of [['CapAdd', host.CapAdd], ['CapDrop', host.CapDrop]] as const) {
    try {
      normalizeCapabilities(names ?? []);
    } catch (err) {
      throw invalidArgument(`invalid ${field}: ${(err as Error).message}`);
    }
  }
}
