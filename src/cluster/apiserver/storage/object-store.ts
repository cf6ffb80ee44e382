/**
 * Kubernetes object semantics over the revisioned Store: keys from keys.ts,
 * JSON values, resourceVersion = modRevision, Kubernetes errors for
 * conflicts and missing objects, and a guaranteed-update loop (re-read and
 * retry on a lost race, unless the caller pinned a resourceVersion).
 */
import { isBerthError } from '../../../core/index.js';
import type { KeyValue, Store } from '../../store/types.js';
import { alreadyExistsError, conflictError, notFoundError, type GroupResource } from '../errors.js';
import type { KubeObject } from '../types.js';
import { decodeObject, encodeObject } from './codec.js';
import { objectKey, type StorageTarget } from './keys.js';
import { NAMESPACES_KEY_PREFIX, NamespaceCache } from './namespace-cache.js';

export type Target = StorageTarget & GroupResource;

export interface Stored {
  object: KubeObject;
  kv: KeyValue;
}

/** What an update callback returns: the next object, or the current one unchanged (no write). */
export type TryUpdate = (current: KubeObject, kv: KeyValue) => Promise<KubeObject> | KubeObject;

const MAX_RETRIES = 16;

export class ObjectStore {
  /** Namespaces as this server last wrote or read them (see namespace-cache.ts). */
  readonly namespaces = new NamespaceCache();

  constructor(readonly store: Store) {}

  async get(t: Target, namespace: string, name: string, revision?: number): Promise<Stored> {
    const kv = await this.store.get(objectKey(t, namespace, name), revision);
    if (kv === undefined) throw notFoundError(t, name);
    return { object: decodeObject(kv), kv };
  }

  async tryGet(t: Target, namespace: string, name: string): Promise<Stored | undefined> {
    const key = objectKey(t, namespace, name);
    const revision = key.startsWith(NAMESPACES_KEY_PREFIX) ? await this.store.currentRevision() : 0;
    const kv = await this.store.get(key);
    const object = kv === undefined ? undefined : decodeObject(kv);
    this.seen(key, object, kv?.modRevision ?? revision);
    return kv === undefined || object === undefined ? undefined : { object, kv };
  }

  /** Keeps the namespace cache current with this server's own reads and writes. */
  private seen(key: string, object: KubeObject | undefined, revision: number): void {
    if (key.startsWith(NAMESPACES_KEY_PREFIX)) this.namespaces.observe(key.slice(NAMESPACES_KEY_PREFIX.length), object, revision);
  }

  async create(t: Target, obj: KubeObject, dryRun = false): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    const key = objectKey(t, obj.metadata.namespace ?? '', name);
    const bytes = encodeObject(obj);
    if (dryRun) {
      if ((await this.store.get(key)) !== undefined) throw alreadyExistsError(t, name);
      return obj;
    }
    try {
      // The stored bytes are this object's JSON: hand it back rather than parse them again.
      const created = withRevision(obj, (await this.store.create(key, bytes)).modRevision);
      this.seen(key, created, Number(created.metadata.resourceVersion));
      return created;
    } catch (err) {
      if (isBerthError(err, 'AlreadyExists')) throw alreadyExistsError(t, name);
      throw err;
    }
  }

  /**
   * Reads the object, lets tryUpdate compute the next version and writes it
   * if it changed. Lost races are retried with a fresh read; tryUpdate
   * throws itself when the caller's resourceVersion precondition fails.
   */
  async update(t: Target, namespace: string, name: string, tryUpdate: TryUpdate, options: { dryRun?: boolean } = {}): Promise<{ object: KubeObject; changed: boolean }> {
    const key = objectKey(t, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (kv === undefined) throw notFoundError(t, name);
      const current = decodeObject(kv);
      const next = await tryUpdate(structuredClone(current), kv);
      const bytes = encodeObject(next);
      if (Buffer.compare(Buffer.from(bytes), Buffer.from(kv.value)) === 0) return { object: current, changed: false };
      if (options.dryRun === true) {
        next.metadata.resourceVersion = current.metadata.resourceVersion ?? '';
        return { object: next, changed: true };
      }
      try {
        const updated = withRevision(next, (await this.store.update(key, bytes, kv.modRevision)).modRevision);
        this.seen(key, updated, Number(updated.metadata.resourceVersion));
        return { object: updated, changed: true };
      } catch (err) {
        if (isBerthError(err, 'NotFound')) throw notFoundError(t, name);
        if (isBerthError(err, 'Conflict') && attempt < MAX_RETRIES) continue;
        if (isBerthError(err, 'Conflict')) throw conflictError(t, name);
        throw err;
      }
    }
  }

  /** Deletes if the object is still at expectedModRevision; the returned object carries the deletion revision. */
  async delete(t: Target, namespace: string, name: string, expectedModRevision: number, dryRun = false): Promise<KubeObject> {
    const key = objectKey(t, namespace, name);
    if (dryRun) return this.get(t, namespace, name).then((s) => s.object);
    try {
      const deleted = await this.store.delete(key, expectedModRevision);
      this.seen(key, undefined, deleted.modRevision);
      return decodeObject(deleted);
    } catch (err) {
      if (isBerthError(err, 'NotFound')) throw notFoundError(t, name);
      if (isBerthError(err, 'Conflict')) throw conflictError(t, name);
      throw err;
    }
  }
}

function withRevision(obj: KubeObject, revision: number): KubeObject {
  obj.metadata.resourceVersion = String(revision);
  return obj;
}
