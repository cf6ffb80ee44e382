/**
 * Which message a `runtime.Unknown` carries for a given apiVersion and kind,
 * and the compiled message table.
 */
import { compileTables, type MessageDef } from './message-table.js';
import { ACCESS_TYPES } from './types-access.js';
import { CORE_POD_TYPES } from './types-core-pod.js';
import { CORE_TYPES } from './types-core.js';
import { META_TYPES } from './types-meta.js';
import { NETWORKING_TYPES } from './types-networking.js';
import { WORKLOAD_TYPES } from './types-workloads.js';

export const MESSAGES: ReadonlyMap<string, MessageDef> = compileTables(META_TYPES, CORE_POD_TYPES, CORE_TYPES, WORKLOAD_TYPES, ACCESS_TYPES, NETWORKING_TYPES);

/** Kinds whose message is named differently from the kind. */
const RENAMED: Record<string, string> = {
  'events.k8s.io/v1/Event': 'EventsEvent',
};

/** Served apiVersions per message (kind) that may arrive as protobuf. */
const KINDS_BY_GROUP_VERSION: Record<string, readonly string[]> = {
  v1: [
    'ConfigMap', 'Secret', 'Namespace', 'ServiceAccount', 'Service', 'Endpoints', 'Event', 'Node', 'Pod', 'PodTemplate', 'Binding',
    'PersistentVolumeClaim', 'ResourceQuota', 'DeleteOptions', 'Status',
  ],
  'meta.k8s.io/v1': ['DeleteOptions', 'Status', 'CreateOptions', 'UpdateOptions', 'PatchOptions'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision', 'DeleteOptions'],
  'batch/v1': ['Job', 'CronJob', 'DeleteOptions'],
  'policy/v1': ['PodDisruptionBudget', 'Eviction', 'DeleteOptions'],
  'autoscaling/v1': ['Scale', 'HorizontalPodAutoscaler', 'DeleteOptions'],
  'authentication.k8s.io/v1': ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
  'authorization.k8s.io/v1': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview'],
  'rbac.authorization.k8s.io/v1': ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'DeleteOptions'],
  'coordination.k8s.io/v1': ['Lease', 'DeleteOptions'],
  'discovery.k8s.io/v1': ['EndpointSlice', 'DeleteOptions'],
  'events.k8s.io/v1': ['Event', 'DeleteOptions'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'DeleteOptions'],
  'scheduling.k8s.io/v1': ['PriorityClass', 'DeleteOptions'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest', 'DeleteOptions'],
};

/** The message definition for an apiVersion/kind, undefined when Berth does not decode it from protobuf. */
export function messageFor(apiVersion: string, kind: string): MessageDef | undefined {
  const kinds = KINDS_BY_GROUP_VERSION[apiVersion];
  if (kinds === undefined || !kinds.includes(kind)) return undefined;
  return MESSAGES.get(RENAMED[`${apiVersion}/${kind}`] ?? kind);
}

/** Every apiVersion/kind the decoder accepts. */
export function supportedKinds(): { apiVersion: string; kind: string }[] {
  return Object.entries(KINDS_BY_GROUP_VERSION).flatMap(([apiVersion, kinds]) => kinds.map((kind) => ({ apiVersion, kind })));
}
