/**
 * Per-kind behaviour that Kubernetes keeps in each resource's strategy
 * (pkg/registry/<group>/<kind>/strategy.go): initial status, graceful
 * deletion, what DELETE returns. Everything not listed uses the defaults.
 */
import type { KubeObject, ResourceType } from '../types.js';
import { keepAllocated } from './service-ips.js';

export interface DeleteOptionsLike {
  gracePeriodSeconds?: number;
}

export interface Strategy {
  /** After metadata init and status reset, before validation. */
  prepareForCreate?(obj: KubeObject): void;
  /** After status/spec carry-over, before validation. */
  prepareForUpdate?(next: KubeObject, old: KubeObject): void;
  /** Grace period for a DELETE; undefined = not graceful (immediate). */
  gracePeriod?(obj: KubeObject, options: DeleteOptionsLike): number | undefined;
  /** DELETE answers with the object rather than a Status. */
  returnDeletedObject?: boolean;
  /** Keeps client-supplied status on create. */
  keepStatusOnCreate?: boolean;
  /** Finalizers the server adds when deletion starts (CRDs clean up their instances). */
  deletionFinalizers?: readonly string[];
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function podQos(obj: KubeObject): string {
  const spec = rec(obj['spec']);
  const containers = [...((spec['containers'] as unknown[]) ?? []), ...((spec['initContainers'] as unknown[]) ?? [])].map(rec);
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const r = rec(c['resources']);
    const req = rec(r['requests']);
    const lim = rec(r['limits']);
    if (Object.keys(req).length + Object.keys(lim).length > 0) any = true;
    for (const res of ['cpu', 'memory']) {
      const l = lim[res];
      const q = req[res] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const pods: Strategy = {
  prepareForCreate(obj) {
    obj['status'] = { phase: 'Pending', qosClass: podQos(obj) };
  },
  gracePeriod(obj, options) {
    const spec = rec(obj['spec']);
    const status = rec(obj['status']);
    // Unscheduled and finished pods go at once (pod strategy CheckGracefulDelete).
    if (typeof spec['nodeName'] !== 'string' || spec['nodeName'] === '') return 0;
    if (status['phase'] === 'Succeeded' || status['phase'] === 'Failed') return 0;
    const g = options.gracePeriodSeconds ?? (typeof spec['terminationGracePeriodSeconds'] === 'number' ? spec['terminationGracePeriodSeconds'] : 30);
    return Math.max(0, g);
  },
  returnDeletedObject: true,
};

const namespaces: Strategy = {
  prepareForCreate(obj) {
    const spec = rec(obj['spec']);
    obj['spec'] = { ...spec, finalizers: ['kubernetes'] };
    obj['status'] = { phase: 'Active' };
    setNamespaceLabel(obj);
  },
  prepareForUpdate(next, old) {
    // spec.finalizers only change through the finalize subresource.
    next['spec'] = { ...rec(next['spec']), finalizers: rec(old['spec'])['finalizers'] ?? [] };
    setNamespaceLabel(next);
  },
  returnDeletedObject: true,
};

function setNamespaceLabel(obj: KubeObject): void {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name ?? '' };
}

const pvLike = (phase: string): Strategy => ({
  prepareForCreate(obj) {
    obj['status'] = { phase };
  },
});

const nodes: Strategy = { keepStatusOnCreate: true };

const services: Strategy = {
  prepareForUpdate: keepAllocated,
};

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const crds: Strategy = { deletionFinalizers: [CRD_CLEANUP_FINALIZER] };

const byResource: Record<string, Strategy> = {
  '/services': services,
  'apiextensions.k8s.io/customresourcedefinitions': crds,
  '/pods': pods,
  '/namespaces': namespaces,
  '/persistentvolumes': pvLike('Pending'),
  '/persistentvolumeclaims': pvLike('Pending'),
  '/nodes': nodes,
  '/events': { keepStatusOnCreate: true },
};

export function strategyFor(type: ResourceType): Strategy {
  return byResource[`${type.group}/${type.resource}`] ?? {};
}
