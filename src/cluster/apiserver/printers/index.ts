/**
 * Server-side Table printing (meta.k8s.io/v1 Table) for built-in kinds and
 * CRDs. Contracts first (types.ts).
 */
export * from './types.js';
