/**
 * `POST pods/<name>/eviction` (policy/v1 Eviction), as `kubectl drain`
 * uses it: a pod that no PodDisruptionBudget protects (or that is pending,
 * finished or already going) is deleted; one covered by a budget is deleted
 * only while the budget allows a disruption, which is then used up
 * (pkg/registry/core/pod/storage/eviction.go). Otherwise 429.
 */
import { BerthError } from '../../../core/index.js';
import { readBody, decodeObject, mediaType } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import { internalError } from '../errors.js';
import { nowTimestamp } from '../rest/object-meta.js';
import type { Call, ServerServices } from '../rest/handler-context.js';
import type { DeleteOptions } from '../rest/resource-deleter.js';
import { listObjects, listPrefix, parseLabelSelector, labelSelectorToString } from '../storage/index.js';
import type { KubeObject, ResourceType } from '../types.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});

function tooManyRequests(cause: string): BerthError {
  return new BerthError('Unavailable', "Cannot evict pod as it would violate the pod's disruption budget.", {
    details: { reason: 'TooManyRequests', code: 429, causes: [{ reason: 'DisruptionBudget', message: cause }] },
  });
}

function deleteOptionsOf(body: KubeObject): DeleteOptions {
  const d = rec(body['deleteOptions']);
  const out: DeleteOptions = { dryRun: Array.isArray(d['dryRun']) && d['dryRun'].length > 0 };
  if (typeof d['gracePeriodSeconds'] === 'number') out.gracePeriodSeconds = d['gracePeriodSeconds'];
  const pre = rec(d['preconditions']);
  if (typeof pre['uid'] === 'string' || typeof pre['resourceVersion'] === 'string') {
    out.preconditions = {};
    if (typeof pre['uid'] === 'string') out.preconditions.uid = pre['uid'];
    if (typeof pre['resourceVersion'] === 'string') out.preconditions.resourceVersion = pre['resourceVersion'];
  }
  return out;
}

export async function handleEviction(s: ServerServices, c: Call): Promise<void> {
  const body = decodeObject(await readBody(c.req), mediaType(c.req), s.collab.protobuf);
  const options = deleteOptionsOf(body);
  const pod = await s.writer.get(c.type, c.info.namespace, c.info.name);
  const phase = rec(pod['status'])['phase'];
  const ignoresBudgets = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined;
  if (!ignoresBudgets) await useDisruption(s, c, pod, options.dryRun);
  await s.deleter.delete(c.type, c.info.namespace, c.info.name, options);
  writeJson(c.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function useDisruption(s: ServerServices, c: Call, pod: KubeObject, dryRun: boolean): Promise<void> {
  const pdbType: ResourceType | undefined = s.collab.schema.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (pdbType === undefined) return;
  const { items } = await listObjects(s.store, { prefix: listPrefix({ group: 'policy', resource: 'poddisruptionbudgets', namespaced: true }, c.info.namespace) });
  const matching = items.filter((pdb) => {
    const selector = labelSelectorToString(rec(pdb['spec'])['selector']);
    const match = parseLabelSelector(selector);
    return match !== undefined && match(pod.metadata.labels);
  });
  if (matching.length === 0) return;
  if (matching.length > 1) throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const pdb = matching[0] as KubeObject;
  const name = pdb.metadata.name ?? '';
  const status = rec(pdb['status']);
  if (Number(status['observedGeneration'] ?? 0) < Number(pdb.metadata.generation ?? 0)) throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`);
  const allowed = Number(status['disruptionsAllowed'] ?? 0);
  if (allowed <= 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${Number(status['desiredHealthy'] ?? 0)} healthy pods and has ${Number(status['currentHealthy'] ?? 0)} currently`);
  }
  const options = { dryRun, fieldManager: 'berth-eviction', fieldValidation: 'Ignore' as const, subresource: 'status' };
  await s.writer.mutate(pdbType, c.info.namespace, name, options, (cur) => {
    const st = rec(cur['status']);
    if (Number(st['disruptionsAllowed'] ?? 0) <= 0) throw tooManyRequests(`The disruption budget ${name} needs ${Number(st['desiredHealthy'] ?? 0)} healthy pods and has ${Number(st['currentHealthy'] ?? 0)} currently`);
    return { ...cur, status: { ...st, disruptionsAllowed: Number(st['disruptionsAllowed']) - 1, disruptedPods: { ...rec(st['disruptedPods']), [pod.metadata.name ?? '']: nowTimestamp() } } };
  });
}
