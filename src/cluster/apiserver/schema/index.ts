/**
 * Kubernetes schemas: resource registry, schema lookup, decoding with
 * fieldValidation, validation, defaulting, discovery and OpenAPI.
 * The contracts come first (types.ts); createSchemaService() builds the
 * whole module behind the SchemaService interface.
 */
export * from './types.js';

export { createSchemaService, type KubeSchemaService } from './schema-service.js';
export { KubeResourceRegistry } from './resource-registry.js';
export { errorBody, fieldErrors, fieldErrorString, invalidMessage, toStatusCauses } from './field-errors.js';
export { storageVersionHash } from './discovery.js';
export { compareKubeVersions } from './kube-versions.js';
export { fieldDescription } from './openapi-source.js';
export { findDuplicateFields } from './duplicate-fields.js';
export { defaultPullPolicy, podQOSClass } from './defaults-pod.js';
export { crdSchemaName } from './openapi-crd.js';
export { KUBERNETES_VERSION, gvPath } from './openapi-v3.js';
export {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from './name-validation.js';
