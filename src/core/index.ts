export * from './errors.js';
export * from './log.js';
export type * from './docker.js';
export * from './filters.js';
