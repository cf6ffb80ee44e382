/** POST, PUT, PATCH, DELETE and DELETE-collection over the writer and deleter. */
import type { PatchType } from '../collaborators.js';
import { readBody, decodeObject, isJsonMediaType, mediaType } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import { successStatus } from '../http/status.js';
import { unsupportedMediaTypeError } from '../errors.js';
import { listObjects, listPrefix, parseFieldSelector, parseLabelSelector } from '../storage/index.js';
import type { KubeObject } from '../types.js';
import { parseDeleteOptions } from './delete-options.js';
import type { Call, ServerServices } from './handler-context.js';
import { forVersion, apiVersionOf, targetOf } from './versioning.js';
import { parseWriteOptions, type WriteOptions } from './write-options.js';

/** JSON bodies keep their text for duplicate-field detection (JSON.parse keeps the last of duplicates silently). */
function withRawJson(options: WriteOptions, body: Buffer, contentType: string): WriteOptions {
  if (options.fieldValidation === 'Ignore' || !isJsonMediaType(contentType)) return options;
  return { ...options, rawBody: body.toString('utf8') };
}

export async function handleCreate(s: ServerServices, c: Call): Promise<void> {
  const body = await readBody(c.req);
  const ct = mediaType(c.req);
  const obj = decodeObject(body, ct, s.collab.protobuf);
  const options = { ...withRawJson(parseWriteOptions(c.query, c.req.headers['user-agent'], ''), body, ct), requester: c.user };
  const r = await s.writer.create(c.type, c.info.namespace, obj, options);
  writeJson(c.res, 201, r.object, 'application/json', r.warnings);
}

export async function handleUpdate(s: ServerServices, c: Call, subresource: '' | 'status' | 'approval'): Promise<void> {
  const body = await readBody(c.req);
  const ct = mediaType(c.req);
  const obj = decodeObject(body, ct, s.collab.protobuf);
  const options = withRawJson(parseWriteOptions(c.query, c.req.headers['user-agent'], subresource), body, ct);
  const r = await s.writer.update(c.type, c.info.namespace, c.info.name, obj, options);
  writeJson(c.res, r.created ? 201 : 200, r.object, 'application/json', r.warnings);
}

/** The patch type of the request's Content-Type, or the 415 Kubernetes answers (worded by the patch module). */
export function patchTypeOf(s: ServerServices, contentType: string, isCustom: boolean): PatchType {
  if (s.collab.patch === undefined) throw unsupportedMediaTypeError(contentType);
  return s.collab.patch.patchType(contentType, isCustom);
}

export async function handlePatch(s: ServerServices, c: Call, subresource: '' | 'status' | 'approval'): Promise<void> {
  const patchType = patchTypeOf(s, mediaType(c.req), c.type.crd !== undefined);
  const body = await readBody(c.req);
  const q = c.query;
  s.collab.patch?.validateOptions({
    patchType, dryRun: q.getAll('dryRun'),
    ...(q.get('fieldManager') === null ? {} : { fieldManager: q.get('fieldManager') ?? '' }),
    ...(q.get('force') === null ? {} : { force: true }),
    ...(q.get('fieldValidation') === null ? {} : { fieldValidation: q.get('fieldValidation') ?? '' }),
  });
  let options: WriteOptions = { ...parseWriteOptions(c.query, c.req.headers['user-agent'], subresource), requester: c.user };
  // Duplicate keys in a merge or strategic patch are strict-decoding errors too (apply bodies are the patch module's).
  if (patchType === 'merge' || patchType === 'strategic') options = withRawJson(options, body, 'application/json');
  const force = c.query.get('force') === 'true';
  const r = await s.writer.patch(c.type, c.info.namespace, c.info.name, patchType, body, { ...options, force });
  writeJson(c.res, r.created ? 201 : 200, r.object, 'application/json', r.warnings);
}

export async function handleDelete(s: ServerServices, c: Call): Promise<void> {
  const body = await readBody(c.req);
  const options = parseDeleteOptions(c.query, body, mediaType(c.req), s.collab.protobuf);
  const r = await s.deleter.delete(c.type, c.info.namespace, c.info.name, options);
  writeJson(c.res, deleteCode(r.deleted, options.orphanDependents), deleteBody(s, c, r.object, r.deleted));
}

function deleteCode(deleted: boolean, orphanDependents: boolean | undefined): number {
  return !deleted && orphanDependents === false ? 202 : 200;
}

function deleteBody(_s: ServerServices, c: Call, obj: KubeObject, deleted: boolean): unknown {
  obj = forVersion(c.type, obj);
  const returnsObject = !deleted || (c.type.group === '' && (c.type.resource === 'pods' || c.type.resource === 'namespaces'));
  if (returnsObject) return obj;
  // StatusDetails fields are omitempty: the core group does not show.
  return successStatus({ name: obj.metadata.name ?? '', ...(c.type.group === '' ? {} : { group: c.type.group }), kind: c.type.resource, uid: obj.metadata.uid ?? '' });
}

export async function handleDeleteCollection(s: ServerServices, c: Call): Promise<void> {
  const body = await readBody(c.req);
  const options = parseDeleteOptions(c.query, body, mediaType(c.req), s.collab.protobuf);
  const listed = await listObjects(s.store, {
    prefix: listPrefix(targetOf(c.type), c.info.namespace),
    label: parseLabelSelector(c.query.get('labelSelector')),
    field: parseFieldSelector(c.query.get('fieldSelector'), c.type),
  });
  const items: KubeObject[] = [];
  for (const o of listed.items) {
    try {
      const r = await s.deleter.delete(c.type, o.metadata.namespace ?? '', o.metadata.name ?? '', options);
      items.push(forVersion(c.type, r.object));
    } catch (err) {
      if ((err as { kind?: string }).kind !== 'NotFound') throw err;
    }
  }
  writeJson(c.res, 200, { kind: c.type.listKind, apiVersion: apiVersionOf(c.type), metadata: { resourceVersion: listed.resourceVersion }, items });
}
