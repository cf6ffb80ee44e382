/**
 * The Kubernetes API server. Other folders import from here only.
 */
export { ApiServer, type ApiServerOptions } from './api-server.js';
export type { Collaborators, SchemaPort, PrinterPort, PatchPort, ProtobufPort, PatchType, PatchRequest, ValidationResult, TableOptions } from './collaborators.js';
export { buildCollaborators } from './build-collaborators.js';
export type { KubeObject, ObjectMeta, ResourceType, UserInfo, RequestInfo, FieldCause, FieldValidation, ScaleSubresource } from './types.js';
export type { Authorizer, AuthorizationAttributes, Decision } from './auth/index.js';
export { AllowAuthenticated } from './auth/index.js';
export { Metrics } from './metrics/index.js';
