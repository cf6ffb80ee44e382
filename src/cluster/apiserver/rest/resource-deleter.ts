/**
 * DELETE semantics of the generic registry (apiserver/pkg/registry/generic/
 * registry/store.go): preconditions, graceful deletion (pods), finalizers
 * and deletionTimestamp, propagationPolicy recorded as the `orphan` /
 * `foregroundDeletion` finalizers for the garbage collector, namespaces
 * that terminate instead of vanishing, and objects that go once their last
 * finalizer is removed.
 */
import { isBerthError } from '../../../core/index.js';
import { conflictError, forbiddenError } from '../errors.js';
import type { ObjectStore } from '../storage/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { nowTimestamp, tracksGeneration } from './object-meta.js';
import { strategyFor } from './strategies.js';
import { groupResource, targetOf } from './versioning.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  dryRun: boolean;
}

export interface DeleteResult {
  object: KubeObject;
  /** False when the object stays (finalizers pending, graceful deletion, terminating namespace). */
  deleted: boolean;
}

const ORPHAN = 'orphan';
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const FOREGROUND = 'foregroundDeletion';

/** The finalizer list after applying the deletion's propagation policy (deletionFinalizersForGarbageCollection). */
export function propagationFinalizers(finalizers: readonly string[], options: DeleteOptions): string[] {
  let orphan: boolean;
  let foreground: boolean;
  if (options.orphanDependents !== undefined) {
    orphan = options.orphanDependents;
    foreground = false;
  } else if (options.propagationPolicy !== undefined) {
    orphan = options.propagationPolicy === 'Orphan';
    foreground = options.propagationPolicy === 'Foreground';
  } else {
    orphan = finalizers.includes(ORPHAN) && !finalizers.includes(FOREGROUND);
    foreground = finalizers.includes(FOREGROUND);
  }
  const out = finalizers.filter((f) => f !== ORPHAN && f !== FOREGROUND);
  if (orphan) out.push(ORPHAN);
  if (foreground) out.push(FOREGROUND);
  return out;
}

function specFinalizers(obj: KubeObject): string[] {
  const spec = obj['spec'] as { finalizers?: string[] } | undefined;
  return Array.isArray(spec?.finalizers) ? spec.finalizers : [];
}

/** True when an object marked for deletion has nothing left holding it. */
export function readyToGo(type: ResourceType, obj: KubeObject): boolean {
  const m = obj.metadata;
  if (m.deletionTimestamp === undefined) return false;
  if ((m.finalizers ?? []).length > 0) return false;
  if (type.group === '' && type.resource === 'namespaces' && specFinalizers(obj).length > 0) return false;
  return (m.deletionGracePeriodSeconds ?? 0) === 0;
}

export class ResourceDeleter {
  constructor(private readonly objects: ObjectStore) {}

  async delete(type: ResourceType, namespace: string, name: string, options: DeleteOptions): Promise<DeleteResult> {
    const t = targetOf(type);
    const gr = groupResource(type);
    const strategy = strategyFor(type);
    for (let attempt = 0; ; attempt++) {
      const { object: current, kv } = await this.objects.get(t, namespace, name);
      const m = current.metadata;
      const pre = options.preconditions;
      if (pre?.uid !== undefined && pre.uid !== m.uid) throw conflictError(gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid ?? ''}`);
      if (pre?.resourceVersion !== undefined && pre.resourceVersion !== m.resourceVersion) {
        throw conflictError(gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion ?? ''}`);
      }
      let grace = strategy.gracePeriod?.(current, options);
      // A pending graceful deletion keeps its period unless the request shortens it.
      if (m.deletionTimestamp !== undefined && grace !== undefined) {
        const pending = m.deletionGracePeriodSeconds ?? 0;
        grace = options.gracePeriodSeconds === undefined ? pending : Math.min(pending, grace);
      }
      const finalizers = propagationFinalizers(m.finalizers ?? [], options);
      if (m.deletionTimestamp === undefined) for (const f of strategy.deletionFinalizers ?? []) if (!finalizers.includes(f)) finalizers.push(f);
      if (type.group === '' && type.resource === 'namespaces' && IMMORTAL_NAMESPACES.has(name)) throw forbiddenError(gr, name, 'this namespace may not be deleted');
      const isNamespace = type.group === '' && type.resource === 'namespaces';
      const holds = finalizers.length > 0 || (grace !== undefined && grace > 0) || (isNamespace && specFinalizers(current).length > 0);
      if (!holds) {
        try {
          const gone = await this.objects.delete(t, namespace, name, kv.modRevision, options.dryRun);
          return { object: gone, deleted: true };
        } catch (err) {
          if (isBerthError(err, 'Conflict') && attempt < 8) continue;
          throw err;
        }
      }
      const result = await this.objects.update(t, namespace, name, (obj) => {
        const om = obj.metadata;
        if (finalizers.length > 0) om.finalizers = finalizers;
        else delete om.finalizers;
        const now = Date.now();
        if (om.deletionTimestamp === undefined) {
          om.deletionTimestamp = nowTimestamp(new Date(now + (grace ?? 0) * 1000));
          om.deletionGracePeriodSeconds = grace ?? 0;
          if (tracksGeneration(type)) om.generation = (om.generation ?? 0) + 1;
          if (isNamespace) obj['status'] = { ...(obj['status'] as object | undefined), phase: 'Terminating' };
        } else if (grace !== undefined && grace < (om.deletionGracePeriodSeconds ?? 0)) {
          // A shorter grace period may replace a pending one.
          om.deletionTimestamp = nowTimestamp(new Date(now + grace * 1000));
          om.deletionGracePeriodSeconds = grace;
        }
        delete om.resourceVersion;
        return obj;
      }, { dryRun: options.dryRun });
      if (!options.dryRun && readyToGo(type, result.object)) {
        return this.delete(type, namespace, name, { dryRun: false });
      }
      return { object: result.object, deleted: false };
    }
  }
}
