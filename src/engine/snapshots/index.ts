export type { Change, DiffOptions, SnapshotInfo, SnapshotKind, Snapshotter, Usage } from './types.js';
export { ChangeKind } from './types.js';
export { OverlaySnapshotter } from './overlay-snapshotter.js';
export { applyLayer, type AppliedLayer, type ApplyOptions } from './apply-layer.js';
export { upperChanges, upperDiffTar } from './upper-diff.js';
export { dirUsage } from './dir-usage.js';
export { findOpaqueDirs, markOpaque, OPAQUE_XATTR } from './overlay-xattr.js';
