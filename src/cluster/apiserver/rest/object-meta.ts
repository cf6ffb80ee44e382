/**
 * ObjectMeta rules shared by every kind: names and generateName, uid,
 * creationTimestamp, generation, and what a client may not change.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta, ResourceType } from '../types.js';

let lastSecond = { second: Number.NaN, text: '' };

/** RFC 3339 at whole seconds, as metav1.Time serializes (formatted once per second: every create asks). */
export function nowTimestamp(date = new Date()): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond.second) lastSecond = { second, text: date.toISOString().replace(/\.\d+Z$/, 'Z') };
  return lastSecond.text;
}

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName + 5 random characters, as names.SimpleNameGenerator does. */
export function generateName(base: string): string {
  const prefix = base.length > 58 ? base.slice(0, 58) : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += nameChars[randomInt(nameChars.length)];
  return prefix + suffix;
}

/** Kinds whose metadata.generation tracks spec changes. */
const generational = new Set([
  'apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'apps/daemonsets', 'batch/jobs', 'batch/cronjobs',
  '/replicationcontrollers', 'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets',
  'networking.k8s.io/ingresses', 'networking.k8s.io/networkpolicies', 'apiextensions.k8s.io/customresourcedefinitions',
  'admissionregistration.k8s.io/validatingwebhookconfigurations', 'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies', 'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'flowcontrol.apiserver.k8s.io/flowschemas', 'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
]);

export function tracksGeneration(type: ResourceType): boolean {
  return type.crd !== undefined || generational.has(`${type.group}/${type.resource}`);
}

/**
 * ObjectMeta's maps and lists are `omitempty` in Go: an empty one (left by
 * a patch that removed the last label or annotation) is not stored or
 * served, and nobody owns it in managedFields.
 */
export function dropEmptyMeta(m: ObjectMeta): void {
  // managedFields stay: an empty list in a request means "reset tracking".
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
    const v = m[k];
    if (v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)) delete m[k];
  }
}

/** Fills in the server-owned metadata of a new object. */
export function initCreateMeta(type: ResourceType, obj: KubeObject): void {
  const m = obj.metadata;
  dropEmptyMeta(m);
  m.uid = randomUUID();
  m.creationTimestamp = nowTimestamp();
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  if (tracksGeneration(type)) m.generation = 1;
  else delete m.generation;
  if (!type.namespaced) delete m.namespace;
}

const immutableMeta = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const;

/** Carries server-owned metadata over from the stored object into an update. */
export function keepServerMeta(next: ObjectMeta, old: ObjectMeta): void {
  dropEmptyMeta(next);
  for (const k of immutableMeta) {
    if (old[k] === undefined) delete next[k];
    else (next as Record<string, unknown>)[k] = old[k];
  }
  if (old.namespace === undefined) delete next.namespace;
  else next.namespace = old.namespace;
  delete next.selfLink;
}

/** JSON with sorted keys, so that key order from patches does not look like a change. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function withoutMetaAndStatus(obj: KubeObject, hasStatus: boolean): string {
  const { metadata: _m, status, apiVersion: _a, kind: _k, ...rest } = obj;
  return stableStringify(hasStatus ? rest : { ...rest, status });
}

/** Bumps generation when anything but metadata (and status, for kinds with a status subresource) changed. */
export function bumpGeneration(type: ResourceType, next: KubeObject, old: KubeObject): void {
  if (!tracksGeneration(type)) return;
  const base = old.metadata.generation ?? 1;
  next.metadata.generation = withoutMetaAndStatus(next, type.hasStatus) !== withoutMetaAndStatus(old, type.hasStatus) ? base + 1 : base;
}
