export * from './errors.js';
export * from './log.js';
export type * from './docker.js';
export * from './filters.js';
export * from './digest.js';
export * from './reference.js';
export * from './oci-image.js';
