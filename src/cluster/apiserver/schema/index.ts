/**
 * Kubernetes schemas: resource registry, schema lookup, decoding with
 * fieldValidation, validation, defaulting, discovery and OpenAPI.
 * The contracts come first (types.ts); createSchemaService() builds the
 * whole module behind the SchemaService interface.
 */
export * from './types.js';
