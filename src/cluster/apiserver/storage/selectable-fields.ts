/**
 * The fields each kind can be filtered on with a fieldSelector, as the
 * upstream strategies' GetAttrs/field-label conversions define them
 * (pkg/registry/<group>/<kind>/strategy.go). metadata.name is always
 * selectable, metadata.namespace for namespaced kinds.
 */
import type { KubeObject, ResourceType } from '../types.js';

type Extractor = (obj: KubeObject) => string;

function at(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const str = (path: string): Extractor => (obj) => {
  const v = at(obj, path);
  return v === undefined || v === null ? '' : String(v);
};
const bool = (path: string): Extractor => (obj) => String(at(obj, path) === true);
const int = (path: string): Extractor => (obj) => String(typeof at(obj, path) === 'number' ? at(obj, path) : 0);

const eventFields: Record<string, Extractor> = {
  'involvedObject.kind': str('involvedObject.kind'),
  'involvedObject.namespace': str('involvedObject.namespace'),
  'involvedObject.name': str('involvedObject.name'),
  'involvedObject.uid': str('involvedObject.uid'),
  'involvedObject.apiVersion': str('involvedObject.apiVersion'),
  'involvedObject.resourceVersion': str('involvedObject.resourceVersion'),
  'involvedObject.fieldPath': str('involvedObject.fieldPath'),
  reason: str('reason'),
  reportingComponent: str('reportingComponent'),
  source: (obj) => str('source.component')(obj) || str('reportingComponent')(obj),
  type: str('type'),
};

/** Keyed by "group/resource". */
const perKind: Record<string, Record<string, Extractor>> = {
  '/pods': {
    'spec.nodeName': str('spec.nodeName'),
    'spec.restartPolicy': str('spec.restartPolicy'),
    'spec.schedulerName': str('spec.schedulerName'),
    'spec.serviceAccountName': str('spec.serviceAccountName'),
    'spec.hostNetwork': bool('spec.hostNetwork'),
    'status.phase': str('status.phase'),
    'status.podIP': str('status.podIP'),
    'status.nominatedNodeName': str('status.nominatedNodeName'),
  },
  '/events': eventFields,
  // Selected on the stored (core/v1) form: events.k8s.io Events share that storage.
  'events.k8s.io/events': {
    'regarding.kind': str('involvedObject.kind'),
    'regarding.namespace': str('involvedObject.namespace'),
    'regarding.name': str('involvedObject.name'),
    'regarding.uid': str('involvedObject.uid'),
    'regarding.apiVersion': str('involvedObject.apiVersion'),
    'regarding.resourceVersion': str('involvedObject.resourceVersion'),
    'regarding.fieldPath': str('involvedObject.fieldPath'),
    reason: str('reason'),
    reportingController: str('reportingComponent'),
    type: str('type'),
  },
  '/secrets': { type: str('type') },
  '/nodes': { 'spec.unschedulable': bool('spec.unschedulable') },
  '/namespaces': { 'status.phase': str('status.phase') },
  '/replicationcontrollers': { 'status.replicas': int('status.replicas') },
  'apps/replicasets': { 'status.replicas': int('status.replicas') },
  'batch/jobs': { 'status.successful': int('status.successful') },
  '/services': { 'spec.clusterIP': str('spec.clusterIP'), 'spec.type': str('spec.type') },
  'certificates.k8s.io/certificatesigningrequests': { 'spec.signerName': str('spec.signerName') },
};

export type FieldSet = (obj: KubeObject) => (field: string) => string | undefined;

/** Resolves a selectable field of an object; undefined means "not supported for this kind". */
export function fieldGetter(type: ResourceType, extra: Record<string, string> = {}): (field: string) => Extractor | undefined {
  const kindFields = perKind[`${type.group}/${type.resource}`] ?? {};
  return (field) => {
    if (field === 'metadata.name') return (o) => o.metadata.name ?? '';
    if (field === 'metadata.namespace' && type.namespaced) return (o) => o.metadata.namespace ?? '';
    const f = kindFields[field];
    if (f !== undefined) return f;
    // CRD selectableFields: field -> JSON path.
    const path = extra[field];
    if (path !== undefined) return str(path.replace(/^\./, ''));
    return undefined;
  };
}
