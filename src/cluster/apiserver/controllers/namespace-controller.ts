/**
 * Namespace lifecycle inside the API server: a terminating namespace has
 * its contents deleted (every namespaced resource, CRDs included), then the
 * `kubernetes` finalizer removed, after which it goes. Live namespaces get
 * their `default` ServiceAccount (the service-account controller's job).
 */
import { isBerthError } from '../../../core/index.js';
import type { ServerServices } from '../rest/handler-context.js';
import { listObjects, listPrefix, resourcePrefix } from '../storage/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { targetOf } from '../rest/versioning.js';
import { runWatchLoop } from './watch-loop.js';

const internal = { dryRun: false, fieldManager: 'berth-namespace-controller', fieldValidation: 'Ignore' as const, subresource: '' };

export class NamespaceController {
  constructor(private readonly s: ServerServices) {}

  start(signal: AbortSignal, onSynced?: () => void): Promise<void> {
    return runWatchLoop({
      name: 'namespace-controller', store: this.s.store, signal,
      prefix: resourcePrefix({ group: '', resource: 'namespaces', namespaced: false }),
      handle: (ns, deleted) => {
        // Other servers' namespace changes reach admission's cache through this watch.
        this.s.objects.namespaces.observe(ns.metadata.name ?? '', deleted ? undefined : ns, Number(ns.metadata.resourceVersion ?? 0));
        return deleted ? Promise.resolve() : this.sync(ns);
      },
      ...(onSynced === undefined ? {} : { onSynced }),
    });
  }

  private type(group: string, resource: string): ResourceType | undefined {
    return this.s.collab.schema.resources().find((t) => t.group === group && t.resource === resource);
  }

  async sync(ns: KubeObject): Promise<number | void> {
    const name = ns.metadata.name ?? '';
    if (ns.metadata.deletionTimestamp === undefined) return this.ensureServiceAccount(name);
    const remaining = await this.deleteContents(name);
    if (remaining > 0) return 1000;
    const nsType = this.type('', 'namespaces');
    if (nsType === undefined) return;
    await this.s.writer.mutate(nsType, '', name, { ...internal, subresource: 'finalize' }, (cur) => {
      const spec = (cur['spec'] ?? {}) as { finalizers?: string[] };
      return { ...cur, spec: { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== 'kubernetes') } };
    });
  }

  /** Deletes everything in the namespace; returns how many objects are still there. */
  private async deleteContents(namespace: string): Promise<number> {
    const seen = new Set<string>();
    let remaining = 0;
    for (const type of this.s.collab.schema.resources()) {
      const key = `${type.group}/${type.resource}`;
      if (!type.namespaced || seen.has(key) || !type.verbs.includes('delete')) continue;
      seen.add(key);
      const { items } = await listObjects(this.s.store, { prefix: listPrefix(targetOf(type), namespace) });
      for (const obj of items) {
        remaining++;
        if (obj.metadata.deletionTimestamp !== undefined) continue;
        try {
          const r = await this.s.deleter.delete(type, namespace, obj.metadata.name ?? '', { dryRun: false, propagationPolicy: 'Background' });
          if (r.deleted) remaining--;
        } catch (err) {
          if (isBerthError(err, 'NotFound')) remaining--;
          else throw err;
        }
      }
    }
    return remaining;
  }

  private async ensureServiceAccount(namespace: string): Promise<void> {
    const saType = this.type('', 'serviceaccounts');
    if (saType === undefined) return;
    if ((await this.s.objects.tryGet(targetOf(saType), namespace, 'default')) !== undefined) return;
    try {
      await this.s.writer.create(saType, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }, internal);
    } catch (err) {
      if (!isBerthError(err, 'AlreadyExists') && !isBerthError(err, 'PermissionDenied')) throw err;
    }
  }
}
