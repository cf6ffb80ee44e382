export { ContainerService, type ContainerServiceDeps } from './container-service.js';
export type { ContainerServiceOptions, RootfsMounter } from './context.js';
export type * from './hooks.js';
export type * from './types.js';
export type { ExecCreateBody, ExecRecord } from './exec-manager.js';
export type { WaitCondition, WaitResult } from './waiters.js';
export { selectContainers, summarize, statusText, humanDuration } from './summary.js';
export { normalizeSignal } from './signals.js';
export { RuntimeAdapter } from './runtime-adapter.js';
