export { resourcePrefix, listPrefix, objectKey, type StorageTarget } from './keys.js';
export { encodeObject, decodeObject, MAX_OBJECT_BYTES } from './codec.js';
export { ObjectStore, type Target, type Stored, type TryUpdate } from './object-store.js';
export { listObjects, parseResourceVersion, CONTINUE_EXPIRED, type ListQuery, type ListOutcome } from './list.js';
export { watchObjects, type WatchOut, type WatchQuery } from './watch.js';
export { parseLabelSelector, labelSelectorToString, type LabelMatcher } from './label-selector.js';
export { parseFieldSelector, type ParsedFieldSelector, type ObjectMatcher } from './field-selector.js';
export { encodeContinue, decodeContinue, type ContinueToken } from './continue-token.js';
