/**
 * CustomResourceDefinitions: registers an established CRD's resources with
 * the schema, keeps its status (acceptedNames, NamesAccepted, Established,
 * storedVersions), and on deletion removes every instance before the
 * cleanup finalizer is dropped and the resources are unregistered.
 */
import { isBerthError } from '../../../core/index.js';
import type { ServerServices } from '../rest/handler-context.js';
import { nowTimestamp } from '../rest/object-meta.js';
import { CRD_CLEANUP_FINALIZER } from '../rest/strategies.js';
import { targetOf } from '../rest/versioning.js';
import { listObjects, listPrefix, resourcePrefix } from '../storage/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { runWatchLoop } from './watch-loop.js';

type Rec = Record<string, unknown>;
const internal = { dryRun: false, fieldManager: 'berth-crd-controller', fieldValidation: 'Ignore' as const, subresource: 'status' };

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

export class CrdController {
  constructor(private readonly s: ServerServices) {}

  start(signal: AbortSignal, onSynced?: () => void): Promise<void> {
    return runWatchLoop({
      name: 'crd-controller', store: this.s.store, signal,
      prefix: resourcePrefix({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', namespaced: false }),
      handle: (crd, deleted) => this.sync(crd, deleted),
      ...(onSynced === undefined ? {} : { onSynced }),
    });
  }

  private crdType(): ResourceType | undefined {
    return this.s.collab.schema.resources().find((t) => t.group === 'apiextensions.k8s.io' && t.resource === 'customresourcedefinitions');
  }

  async sync(crd: KubeObject, deleted: boolean): Promise<number | void> {
    const name = crd.metadata.name ?? '';
    if (deleted) {
      this.s.collab.schema.unregisterCrd(name);
      return;
    }
    const crdType = this.crdType();
    if (crdType === undefined) return;
    if (crd.metadata.deletionTimestamp !== undefined) return this.cleanUp(crdType, crd);
    const registered = this.s.collab.schema.registerCrd(crd);
    const spec = (crd['spec'] ?? {}) as Rec;
    const names = (spec['names'] ?? {}) as Rec;
    const status = (crd['status'] ?? {}) as Rec;
    const conditions: Condition[] = registered.accepted
      ? [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ]
      : [
        { type: 'NamesAccepted', status: 'False', reason: registered.reason, message: registered.message },
        { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
      ];
    const kind = String(names['kind'] ?? '');
    const acceptedNames: Rec = registered.accepted
      ? { ...names, listKind: names['listKind'] ?? `${kind}List`, singular: names['singular'] ?? kind.toLowerCase() }
      : ((status['acceptedNames'] as Rec | undefined) ?? { plural: '', kind: '' });
    const versions = ((spec['versions'] as Rec[] | undefined) ?? []).filter((v) => v['storage'] === true).map((v) => String(v['name']));
    const stored = [...new Set([...((status['storedVersions'] as string[] | undefined) ?? []), ...versions])];
    const old = (status['conditions'] as Condition[] | undefined) ?? [];
    const merged = conditions.map((c) => {
      const prev = old.find((o) => o.type === c.type);
      return { ...c, lastTransitionTime: prev !== undefined && prev.status === c.status ? prev.lastTransitionTime ?? nowTimestamp() : nowTimestamp() };
    });
    const next = { ...status, acceptedNames, conditions: merged, storedVersions: stored };
    if (JSON.stringify(next) === JSON.stringify(status)) return;
    await this.s.writer.mutate(crdType, '', name, internal, (cur) => ({ ...cur, status: next }));
  }

  private async cleanUp(crdType: ResourceType, crd: KubeObject): Promise<number | void> {
    const name = crd.metadata.name ?? '';
    if (!(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return;
    const spec = (crd['spec'] ?? {}) as Rec;
    const group = String(spec['group'] ?? '');
    const plural = String(((spec['names'] ?? {}) as Rec)['plural'] ?? '');
    const type = this.s.collab.schema.resources().find((t) => t.group === group && t.resource === plural);
    if (type !== undefined) {
      const { items } = await listObjects(this.s.store, { prefix: listPrefix(targetOf(type), '') });
      let remaining = 0;
      for (const o of items) {
        remaining++;
        if (o.metadata.deletionTimestamp !== undefined) continue;
        try {
          const r = await this.s.deleter.delete(type, o.metadata.namespace ?? '', o.metadata.name ?? '', { dryRun: false, propagationPolicy: 'Background' });
          if (r.deleted) remaining--;
        } catch (err) {
          if (isBerthError(err, 'NotFound')) remaining--;
          else throw err;
        }
      }
      if (remaining > 0) return 1000;
    }
    await this.s.writer.mutate(crdType, '', name, { ...internal, subresource: '' }, (cur) => {
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
      if (cur.metadata.finalizers.length === 0) delete cur.metadata.finalizers;
      return cur;
    });
  }
}
