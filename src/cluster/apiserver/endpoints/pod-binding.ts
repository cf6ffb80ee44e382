/**
 * Binding a pod to a node, as the scheduler does: `POST pods/<name>/binding`
 * (or the `bindings` collection) with a v1 Binding. Sets spec.nodeName once
 * and the PodScheduled condition (pkg/registry/core/pod/storage assignPod).
 */
import { readBody, decodeObject, mediaType } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import { badRequestError, conflictError } from '../errors.js';
import { nowTimestamp } from '../rest/object-meta.js';
import type { Call, ServerServices } from '../rest/handler-context.js';
import { parseWriteOptions } from '../rest/write-options.js';
import type { ResourceType } from '../types.js';

type Rec = Record<string, unknown>;

export async function handleBinding(s: ServerServices, c: Call, pods: ResourceType): Promise<void> {
  const body = decodeObject(await readBody(c.req), mediaType(c.req), s.collab.protobuf);
  const name = c.info.name !== '' && c.info.subresource === 'binding' ? c.info.name : (body.metadata.name ?? '');
  const target = (body['target'] ?? {}) as { kind?: string; name?: string };
  if (target.name === undefined || target.name === '') throw badRequestError('Binding.target.name: Required value');
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') throw badRequestError(`Binding.target.kind: Invalid value: "${target.kind}": must be empty or 'Node'`);
  const gr = { group: '', resource: 'pods/binding' };
  const options = { ...parseWriteOptions(c.query, c.req.headers['user-agent'], 'binding'), subresource: '' };
  await s.writer.mutate(pods, c.info.namespace, name, options, (pod) => {
    const spec = (pod['spec'] ?? {}) as Rec;
    if (pod.metadata.deletionTimestamp !== undefined) throw conflictError(gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (typeof spec['nodeName'] === 'string' && spec['nodeName'] !== '') throw conflictError(gr, name, `pod ${name} is already assigned to node "${spec['nodeName']}"`);
    pod['spec'] = { ...spec, nodeName: target.name };
    const status = (pod['status'] ?? {}) as Rec;
    const conditions = ((status['conditions'] as Rec[] | undefined) ?? []).filter((x) => x['type'] !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowTimestamp() });
    pod['status'] = { ...status, conditions };
    return pod;
  }, { keepStatus: true, internal: true });
  writeJson(c.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
