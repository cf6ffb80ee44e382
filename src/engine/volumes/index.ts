export type {
  Volume, VolumeCreateBody, VolumeListResponse, VolumePruneReport, VolumeRecord, VolumeReferences, VolumeKernel, CreateVolumeOptions,
} from './types.js';
export { VolumeService, type VolumeServiceOptions } from './volume-service.js';
export { ContainerVolumeManager, type ContainerVolumeManagerOptions } from './container-volume-manager.js';
export { createVolumeSubsystem, type VolumeSubsystem, type VolumeSubsystemOptions } from './volume-subsystem.js';
export { linuxVolumeKernel } from './linux-volume-kernel.js';
export { parseBind, parseVolumesFrom } from './bind-spec.js';
export { parseMountSpec, validateMountSpec, type ParsedMount } from './mount-spec.js';
export { convertTmpfsOptions, mergeTmpfsOptions, tmpfsMountOptions } from './tmpfs-options.js';
export { rootfsPropagationFor, sortMounts } from './oci-mounts.js';
export { validateVolumeName, generateVolumeName } from './volume-names.js';
