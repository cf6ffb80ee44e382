export { ImagesService, type ImagesServiceOptions } from './images-service.js';
export type {
  CommitOptions, DeleteResponseItem, ImageTransfer, ExportOptions, HistoryItem, ImageInspect, ImagesDiskUsage, ImageSummary, ImageUsage, ImageUser, ImportOptions, LoadOptions, LoadResult, ProgressSink, PruneReport, ResolvedImage,
} from './types.js';
export type { ListOptions } from './image-list.js';
export type { ImageContext, ImageEventSink } from './context.js';
export type { NewImage, StoredImage } from './store-image.js';
export { applyChanges } from './change-parser.js';
export { mergeConfig, hostPlatform } from './merge-config.js';
export { chainFrom, DiffIdMismatch, type LayerInfo } from './layer-store.js';
export { ChangeKind, type Change } from '../snapshots/index.js';
export type { LocalImage } from './transfer-support.js';
