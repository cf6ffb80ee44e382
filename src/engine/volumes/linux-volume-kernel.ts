import { copyDirectory } from '../../platform/linux/copy-directory.js';
import { isMountPoint, mountAll, unmountIfMounted } from '../../platform/linux/mount.js';
import { mountPropagationOf } from '../../platform/linux/mount-propagation.js';
import type { VolumeKernel } from './types.js';

/** The real kernel seam: every operation is platform/linux's. */
export const linuxVolumeKernel: VolumeKernel = {
  mount: (m, target) => mountAll([m], target),
  unmount: (target) => unmountIfMounted(target),
  isMounted: (target) => isMountPoint(target),
  copyDirectory: (src, dst) => copyDirectory(src, dst),
  propagationOf: (path) => mountPropagationOf(path),
};
