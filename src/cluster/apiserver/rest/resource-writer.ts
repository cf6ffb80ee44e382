/**
 * Create, update (main and status), patch and programmatic updates for any
 * resource: the write half of the generic registry. Handlers and in-server
 * controllers both call this; it holds the object rules, not HTTP.
 */
import { isBerthError } from '../../../core/index.js';
import type { Collaborators, PatchType } from '../collaborators.js';
import { badRequestError, conflictError, notFoundError, unsupportedMediaTypeError } from '../errors.js';
import type { ObjectStore } from '../storage/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { checkNamespace, checkNamespaceLive, checkTypeMeta, defaultAndValidate } from './admission.js';
import { bumpGeneration, generateName, initCreateMeta, keepServerMeta } from './object-meta.js';
import { approvalUpdate, isCertificateRequests, stampRequester } from './certificate-requests.js';
import { allocateServiceAddresses } from './service-ips.js';
import { strategyFor } from './strategies.js';
import { toStorage } from './conversion.js';
import { forVersion, groupResource, targetOf } from './versioning.js';
import type { WriteOptions } from './write-options.js';

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  created: boolean;
}

/** Called after every committed write, e.g. to finish deletions whose finalizers are gone. */
export type AfterUpdate = (type: ResourceType, object: KubeObject, options: WriteOptions) => Promise<KubeObject>;

export interface MutateFlags {
  /** The change is a server-side apply that already maintained managedFields. */
  appliedManagedFields?: boolean;
  /** The change may write status through the main resource (pod binding). */
  keepStatus?: boolean;
  /** A server-internal write that bypasses update validation, as storage-level writes do upstream (binding). */
  internal?: boolean;
}

export class ResourceWriter {
  afterUpdate: AfterUpdate = async (_t, o) => o;

  constructor(private readonly objects: ObjectStore, private readonly collab: Collaborators) {}

  /** `appliedManagedFields`: the object comes from a server-side apply that already set managedFields. */
  async create(type: ResourceType, namespace: string, obj: KubeObject, options: WriteOptions, appliedManagedFields = false): Promise<WriteResult> {
    checkTypeMeta(type, obj);
    checkNamespace(type, obj, namespace);
    const strategy = strategyFor(type);
    const m = obj.metadata;
    const generated = (m.name === undefined || m.name === '') && typeof m.generateName === 'string' && m.generateName !== '';
    if (generated) m.name = generateName(m.generateName ?? '');
    initCreateMeta(type, obj);
    if (type.hasStatus && strategy.keepStatusOnCreate !== true) obj['status'] = {};
    strategy.prepareForCreate?.(obj);
    if (isCertificateRequests(type)) stampRequester(obj, options.requester);
    if (type.group === '' && type.resource === 'services') await allocateServiceAddresses(this.objects.store, obj);
    await checkNamespaceLive(this.objects, type, namespace, m.name ?? '');
    const warnings = defaultAndValidate(this.collab, type, obj, options);
    if (!appliedManagedFields) this.collab.patch?.recordUpdate({ type, old: undefined, next: obj, fieldManager: options.fieldManager, operation: 'Update', subresource: '' });
    for (let attempt = 0; ; attempt++) {
      try {
        const stored = await this.objects.create(targetOf(type), toStorage(type, obj), options.dryRun);
        return { object: forVersion(type, stored), warnings, created: true };
      } catch (err) {
        // RetryGenerateName: a clash of a generated name gets a new name.
        if (!generated || attempt >= 7 || !isBerthError(err, 'AlreadyExists')) throw err;
        m.name = generateName(m.generateName ?? '');
      }
    }
  }

  /** PUT: replaces the object (or only its status for subresource "status"). */
  async update(type: ResourceType, namespace: string, name: string, obj: KubeObject, options: WriteOptions): Promise<WriteResult> {
    checkTypeMeta(type, obj);
    checkNamespace(type, obj, namespace);
    if (obj.metadata.name !== undefined && obj.metadata.name !== '' && obj.metadata.name !== name) {
      throw badRequestError(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    const wantRv = obj.metadata.resourceVersion;
    return this.mutate(type, namespace, name, options, (current) => {
      if (wantRv !== undefined && wantRv !== '' && wantRv !== current.metadata.resourceVersion) throw conflictError(groupResource(type), name);
      return structuredClone(obj);
    });
  }

  async patch(type: ResourceType, namespace: string, name: string, patchType: PatchType, body: Uint8Array, options: WriteOptions & { force: boolean }): Promise<WriteResult> {
    const patcher = this.collab.patch;
    if (patcher === undefined) throw unsupportedMediaTypeError(`patch type ${patchType}`);
    const request = {
      type, patchType, patch: body, fieldManager: options.fieldManager, force: options.force, subresource: options.subresource,
      fieldValidation: options.fieldValidation,
    };
    let patchWarnings: string[] = [];
    const withPatchWarnings = (r: WriteResult): WriteResult => ({ ...r, warnings: [...patchWarnings, ...r.warnings] });
    try {
      return withPatchWarnings(await this.mutate(type, namespace, name, options, (current) => {
        const { object: next, warnings } = patcher.patch({ ...request, current });
        patchWarnings = warnings;
        // A resourceVersion in the patch is a precondition.
        const rv = next.metadata.resourceVersion;
        if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflictError(groupResource(type), name);
        return next;
      }, { appliedManagedFields: patchType === 'apply' }));
    } catch (err) {
      if (!(patchType === 'apply' && options.subresource === '' && isBerthError(err, 'NotFound') && err.details?.['name'] === name)) throw err;
      // Server-side apply creates missing objects.
      const { object: created, warnings } = patcher.patch({ ...request, current: undefined });
      patchWarnings = warnings;
      created.metadata.name = name;
      if (type.namespaced) created.metadata.namespace = namespace;
      return withPatchWarnings(await this.create(type, namespace, created, options, true));
    }
  }

  /**
   * Applies change() to the live object with the update rules (status
   * carry-over, server metadata, generation, validation) and stores it.
   * Used by PUT, PATCH and in-server controllers.
   */
  async mutate(type: ResourceType, namespace: string, name: string, options: WriteOptions, change: (current: KubeObject) => KubeObject, flags: MutateFlags = {}): Promise<WriteResult> {
    let warnings: string[] = [];
    const strategy = strategyFor(type);
    const { object, changed } = await this.objects.update(targetOf(type), namespace, name, (current) => {
      const old = forVersion(type, structuredClone(current));
      let next = change(forVersion(type, current));
      if (options.subresource === 'status') {
        const managedFields = next.metadata.managedFields ?? old.metadata.managedFields;
        next = { ...old, status: next['status'], metadata: { ...old.metadata, ...(managedFields === undefined ? {} : { managedFields }) } };
      } else if (options.subresource === 'finalize') {
        // Namespace finalize: only spec.finalizers change.
        const finalizers = (next['spec'] as { finalizers?: unknown } | undefined)?.finalizers ?? [];
        next = { ...old, spec: { ...(old['spec'] as object | undefined), finalizers } };
      } else {
        checkTypeMeta(type, next);
        keepServerMeta(next.metadata, old.metadata);
        next.metadata.name = name;
        if (options.subresource === 'approval') {
          next = approvalUpdate(next, old);
        } else {
          if (type.hasStatus && flags.keepStatus !== true) {
            if (old['status'] === undefined) delete next['status'];
            else next['status'] = old['status'];
          }
          strategy.prepareForUpdate?.(next, old);
        }
        bumpGeneration(type, next, old);
      }
      if (flags.internal !== true) warnings = defaultAndValidate(this.collab, type, next, options, old);
      // An apply patch maintains managedFields itself.
      if (flags.appliedManagedFields !== true) {
        this.collab.patch?.recordUpdate({ type, old, next, fieldManager: options.fieldManager, operation: 'Update', subresource: options.subresource });
      }
      delete next.metadata.resourceVersion;
      return toStorage(type, next);
    }, { dryRun: options.dryRun });
    let result = forVersion(type, object);
    if (changed && !options.dryRun) result = forVersion(type, await this.afterUpdate(type, result, options));
    return { object: result, warnings, created: false };
  }

  async get(type: ResourceType, namespace: string, name: string): Promise<KubeObject> {
    const s = await this.objects.tryGet(targetOf(type), namespace, name);
    if (s === undefined) throw notFoundError(groupResource(type), name);
    return forVersion(type, s.object);
  }
}
