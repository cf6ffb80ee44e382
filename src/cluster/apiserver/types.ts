/**
 * Shapes shared by the API server's parts: Kubernetes objects as plain JSON,
 * resource types, the authenticated user and the parsed request. The
 * collaborator interfaces (schema, printers, patch, protobuf) live in
 * collaborators.ts.
 */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

/** Any Kubernetes object, kept as parsed JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
  /** A selector string (default), a metav1.LabelSelector or a label map. */
  labelSelectorType?: 'string' | 'LabelSelector' | 'map';
}

/** One served resource at one group-version. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: "deployments". */
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly string[];
  /** The status subresource: main writes ignore status, status writes ignore everything else. */
  hasStatus: boolean;
  /** The scale subresource, with JSON paths like ".spec.replicas". */
  scale?: ScaleSubresource;
  /** Set for resources defined by a CustomResourceDefinition. */
  crd?: string;
  /** The schema module's own description of the resource, for its adapters. */
  source?: unknown;
}

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** A request broken down the way Kubernetes' RequestInfo does. */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** get list watch create update patch delete deletecollection, or the HTTP verb in lower case for non-resource requests. */
  verb: string;
  /** "api" or "apis" for resource requests. */
  prefix: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

/** A Kubernetes field-level error cause (details.causes[]). */
export interface FieldCause {
  reason: string;
  message: string;
  field: string;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
