/**
 * Conversion between served versions that share one storage. Most
 * resources have one served version, or none-conversion (CRDs): only
 * apiVersion changes. HorizontalPodAutoscalers are stored as autoscaling/v2
 * and served as v1 too, with upstream's mapping (CPU utilization target ↔
 * a Resource metric; what v1 cannot say kept in annotations). Events are
 * stored once, as core/v1, and served as events.k8s.io/v1 too, so that an
 * event a controller records with the new API shows in `kubectl describe`.
 */
import type { KubeObject, ResourceType } from '../types.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});

const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';

function isHpa(type: { group: string; resource: string }): boolean {
  return type.group === 'autoscaling' && type.resource === 'horizontalpodautoscalers';
}

const isCpuUtilization = (m: Rec) => m['type'] === 'Resource' && rec(m['resource'])['name'] === 'cpu' && rec(rec(m['resource'])['target'])['type'] === 'Utilization';

function hpaToV1(obj: KubeObject): KubeObject {
  const spec = rec(obj['spec']);
  const status = rec(obj['status']);
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  const metrics = (spec['metrics'] as Rec[] | undefined) ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (others.length > 0) annotations[METRICS_ANNOTATION] = JSON.stringify(others);
  if (spec['behavior'] !== undefined) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec['behavior']);
  const v1Spec: Rec = { scaleTargetRef: spec['scaleTargetRef'], maxReplicas: spec['maxReplicas'] };
  if (spec['minReplicas'] !== undefined) v1Spec['minReplicas'] = spec['minReplicas'];
  if (cpu !== undefined) v1Spec['targetCPUUtilizationPercentage'] = rec(rec(cpu['resource'])['target'])['averageUtilization'];
  const current = (status['currentMetrics'] as Rec[] | undefined) ?? [];
  const curCpu = current.find((m) => m['type'] === 'Resource' && rec(m['resource'])['name'] === 'cpu');
  const curOthers = current.filter((m) => m !== curCpu);
  if (curOthers.length > 0) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(curOthers);
  if (Array.isArray(status['conditions']) && status['conditions'].length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status['conditions']);
  const v1Status: Rec = {};
  for (const k of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) if (status[k] !== undefined) v1Status[k] = status[k];
  const util = rec(rec(curCpu?.['resource'])['current'])['averageUtilization'];
  if (util !== undefined) v1Status['currentCPUUtilizationPercentage'] = util;
  const out: KubeObject = { ...obj, spec: v1Spec, status: v1Status, metadata: { ...obj.metadata } };
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  return out;
}

function hpaToV2(obj: KubeObject): KubeObject {
  const spec = rec(obj['spec']);
  const status = rec(obj['status']);
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  const take = (key: string): unknown => {
    const text = annotations[key];
    delete annotations[key];
    if (text === undefined) return undefined;
    try { return JSON.parse(text) as unknown; } catch { return undefined; }
  };
  const metrics: Rec[] = [];
  const target = spec['targetCPUUtilizationPercentage'];
  if (typeof target === 'number') metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });
  metrics.push(...(((take(METRICS_ANNOTATION) as Rec[] | undefined) ?? [])));
  const v2Spec: Rec = { scaleTargetRef: spec['scaleTargetRef'], maxReplicas: spec['maxReplicas'] };
  if (spec['minReplicas'] !== undefined) v2Spec['minReplicas'] = spec['minReplicas'];
  if (metrics.length > 0) v2Spec['metrics'] = metrics;
  const behavior = take(BEHAVIOR_ANNOTATION);
  if (behavior !== undefined) v2Spec['behavior'] = behavior;
  const v2Status: Rec = {};
  for (const k of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) if (status[k] !== undefined) v2Status[k] = status[k];
  const current: Rec[] = [];
  if (typeof status['currentCPUUtilizationPercentage'] === 'number') current.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status['currentCPUUtilizationPercentage'] } } });
  current.push(...(((take(CURRENT_METRICS_ANNOTATION) as Rec[] | undefined) ?? [])));
  if (current.length > 0) v2Status['currentMetrics'] = current;
  const conditions = take(CONDITIONS_ANNOTATION);
  if (conditions !== undefined) v2Status['conditions'] = conditions;
  const out: KubeObject = { ...obj, spec: v2Spec, status: v2Status, metadata: { ...obj.metadata } };
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  else delete out.metadata.annotations;
  return out;
}

/** events.k8s.io/v1 field ↔ core/v1 field. */
const eventFields: Array<[string, string]> = [
  ['regarding', 'involvedObject'], ['note', 'message'], ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'], ['deprecatedFirstTimestamp', 'firstTimestamp'], ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function renameFields(obj: KubeObject, pairs: Array<[string, string]>): KubeObject {
  const out: KubeObject = { ...obj };
  for (const [from, to] of pairs) {
    delete out[to];
    if (obj[from] !== undefined) out[to] = obj[from];
    delete out[from];
  }
  return out;
}

export function isNewEvents(type: { group: string; resource: string }): boolean {
  return type.group === 'events.k8s.io' && type.resource === 'events';
}

/** Converts a stored object to the type's version (returns the same object where nothing changes). */
export function fromStorage(type: ResourceType, obj: KubeObject): KubeObject {
  if (isHpa(type) && type.version === 'v1' && (obj.apiVersion === 'autoscaling/v2' || obj.apiVersion === undefined)) return hpaToV1(obj);
  if (isNewEvents(type) && obj.apiVersion !== 'events.k8s.io/v1') return renameFields(obj, eventFields.map(([a, b]) => [b, a]));
  return obj;
}

/** Converts an object at the type's version to its storage version. */
export function toStorage(type: ResourceType, obj: KubeObject): KubeObject {
  if (isHpa(type) && type.version === 'v1') return { ...hpaToV2(obj), apiVersion: 'autoscaling/v2' };
  if (isNewEvents(type)) return { ...renameFields(obj, eventFields), apiVersion: 'v1', kind: 'Event' };
  return obj;
}
