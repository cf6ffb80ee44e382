export { NamespaceController } from './namespace-controller.js';
export { CrdController } from './crd-controller.js';
export { bootstrapCluster, DEFAULT_NAMESPACES, type BootstrapOptions } from './bootstrap.js';
export { runWatchLoop, type WatchLoopOptions } from './watch-loop.js';
