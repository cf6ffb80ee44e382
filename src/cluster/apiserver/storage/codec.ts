/**
 * Objects are stored as JSON without metadata.resourceVersion: the
 * resourceVersion is the key's modRevision in the store, set on the way out.
 */
import type { KeyValue } from '../../store/types.js';
import { requestEntityTooLargeError } from '../errors.js';
import type { KubeObject } from '../types.js';

/** etcd's default request limit, which kube-apiserver objects must fit in. */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeObject(obj: KubeObject): Uint8Array {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  const bytes = encoder.encode(JSON.stringify({ ...obj, metadata: meta }));
  if (bytes.length > MAX_OBJECT_BYTES) throw requestEntityTooLargeError(`Request entity too large: limit is ${MAX_OBJECT_BYTES}`);
  return bytes;
}

export function decodeObject(kv: KeyValue): KubeObject {
  const obj = JSON.parse(decoder.decode(kv.value)) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}
