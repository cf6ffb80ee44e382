/**
 * Server-side Table printing (meta.k8s.io/v1 Table) for built-in kinds and
 * CRDs. Contracts first (types.ts); printTable() is the entry point.
 */
export * from './types.js';

export { printTable, printerFor, builtinPrinter, crdPrinter, partialObjectMetadata } from './table-builder.js';
export { humanDuration, timestampSince } from './human-duration.js';
export { evalJsonPath } from './jsonpath.js';
