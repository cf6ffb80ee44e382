export type { BlobInfo, ContentStore, ContentWriter, ExpectedContent, Ingester, Lease, Manager, Provider } from './types.js';
export { LocalContentStore, bufferStream } from './local-store.js';
export { blobChildren, collectGarbage, referenceCounts, type GcResult } from './gc.js';
export { randomId, syncDir, writeFileAtomic } from './fs-util.js';
