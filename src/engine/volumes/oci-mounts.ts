import type { MountPoint } from '../../core/index.js';
import type { OciMount } from '../containers/hooks.js';
import { tmpfsMountOptions } from './tmpfs-options.js';

/** A volume or bind mount as dockerd writes it into the OCI spec. */
export function bindOciMount(point: MountPoint, source: string, nonRecursive: boolean): OciMount {
  const options = [nonRecursive ? 'bind' : 'rbind'];
  if (!point.RW) options.push('ro');
  if (point.Propagation !== '') options.push(point.Propagation);
  return { destination: point.Destination, type: 'bind', source, options };
}

export function tmpfsOciMount(destination: string, data: string): OciMount {
  return { destination, type: 'tmpfs', source: 'tmpfs', options: tmpfsMountOptions(data) };
}

/** Parents before children (dockerd's sortMounts: by depth), stable otherwise. */
export function sortMounts(mounts: OciMount[]): OciMount[] {
  const depth = (m: OciMount): number => m.destination.split('/').filter((c) => c !== '').length;
  return mounts
    .map((m, i) => ({ m, i }))
    .sort((a, b) => depth(a.m) - depth(b.m) || a.i - b.i)
    .map(({ m }) => m);
}

/**
 * The rootfs propagation the OCI spec needs for these mounts: a shared bind
 * needs an rshared root, a slave one an rslave root (as dockerd sets it).
 */
export function rootfsPropagationFor(mounts: readonly OciMount[]): 'rshared' | 'rslave' | undefined {
  const opts = mounts.flatMap((m) => (m.type === 'bind' ? m.options : []));
  if (opts.some((o) => o === 'shared' || o === 'rshared')) return 'rshared';
  if (opts.some((o) => o === 'slave' || o === 'rslave')) return 'rslave';
  return undefined;
}
