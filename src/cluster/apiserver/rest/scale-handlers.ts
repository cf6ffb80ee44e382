/**
 * The scale subresource (autoscaling/v1 Scale) for deployments, replicasets,
 * statefulsets, replicationcontrollers and CRDs that declare it.
 */
import { readBody, decodeObject, mediaType } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import { badRequestError, conflictError, invalidError, notFoundError } from '../errors.js';
import { labelSelectorToString } from '../storage/index.js';
import type { KubeObject, ResourceType, ScaleSubresource } from '../types.js';
import type { Call, ServerServices } from './handler-context.js';
import { groupResource } from './versioning.js';
import { patchTypeOf } from './write-handlers.js';
import { parseWriteOptions } from './write-options.js';

const scaleType: ResourceType = {
  group: 'autoscaling', version: 'v1', resource: 'scale', kind: 'Scale', listKind: 'ScaleList', singular: 'scale',
  namespaced: true, shortNames: [], categories: [], verbs: ['get', 'update', 'patch'], hasStatus: false,
};

function path(p: string): string[] {
  return p.replace(/^\./, '').split('.').filter((s) => s !== '');
}

function read(obj: unknown, p: string): unknown {
  let cur = obj;
  for (const k of path(p)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function write(obj: Record<string, unknown>, p: string, value: unknown): void {
  const keys = path(p);
  let cur = obj;
  keys.slice(0, -1).forEach((k) => {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1];
  if (last !== undefined) cur[last] = value;
}

function selectorString(sub: ScaleSubresource, sel: unknown): string {
  switch (sub.labelSelectorType ?? 'string') {
    case 'LabelSelector': return labelSelectorToString(sel);
    case 'map': return sel !== null && typeof sel === 'object' ? Object.entries(sel as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',') : '';
    default: return typeof sel === 'string' ? sel : '';
  }
}

export function toScale(obj: KubeObject, sub: ScaleSubresource): KubeObject {
  const m = obj.metadata;
  const selector = selectorString(sub, sub.labelSelectorPath === undefined ? undefined : read(obj, sub.labelSelectorPath));
  const meta: KubeObject['metadata'] = { name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion ?? '', creationTimestamp: m.creationTimestamp ?? '' };
  if (m.namespace !== undefined) meta.namespace = m.namespace;
  const specReplicas = read(obj, sub.specReplicasPath);
  const status: Record<string, unknown> = { replicas: Number(read(obj, sub.statusReplicasPath) ?? 0) };
  if (selector !== '') status['selector'] = selector;
  return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: meta, spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 }, status };
}

export async function handleScale(s: ServerServices, c: Call): Promise<void> {
  const sub = c.type.scale;
  if (sub === undefined) throw notFoundError(groupResource(c.type), c.info.name);
  const verb = c.info.verb;
  if (verb === 'get') {
    writeJson(c.res, 200, toScale(await s.writer.get(c.type, c.info.namespace, c.info.name), sub));
    return;
  }
  if (verb !== 'update' && verb !== 'patch') throw badRequestError(`${verb} is not supported on scale`);
  const body = await readBody(c.req);
  const options = parseWriteOptions(c.query, c.req.headers['user-agent'], 'scale');
  const patchType = verb === 'patch' ? patchTypeOf(s, mediaType(c.req), c.type.crd !== undefined) : undefined;
  const incoming = verb === 'update' ? decodeObject(body, mediaType(c.req), s.collab.protobuf) : undefined;
  // Subresource "scale": the write follows the main resource's rules but is recorded in managedFields as a scale write.
  const r = await s.writer.mutate(c.type, c.info.namespace, c.info.name, options, (current) => {
    const scale = toScale(current, sub);
    let wanted: KubeObject;
    if (incoming !== undefined) wanted = incoming;
    else {
      if (s.collab.patch === undefined || patchType === undefined) throw badRequestError('patching is not available');
      wanted = s.collab.patch.patch({ type: scaleType, patchType, current: scale, patch: body, fieldManager: options.fieldManager, force: false, subresource: '' }).object;
    }
    const rv = wanted.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflictError(groupResource(c.type), c.info.name);
    const replicas = (wanted['spec'] as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalidError({ group: 'autoscaling', kind: 'Scale' }, c.info.name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0` }]);
    }
    write(current as Record<string, unknown>, sub.specReplicasPath, replicas);
    return current;
  });
  writeJson(c.res, 200, toScale(r.object, sub), 'application/json', r.warnings);
}
