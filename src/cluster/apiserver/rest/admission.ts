/**
 * The checks every write goes through before storage: the object's
 * apiVersion/kind and namespace match the URL, the namespace exists and is
 * not terminating, schema defaults and validation (fieldValidation
 * Strict/Warn/Ignore), and name rules.
 */
import type { Collaborators } from '../collaborators.js';
import { badRequestError, forbiddenError, invalidError, notFoundError } from '../errors.js';
import type { ObjectStore } from '../storage/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { apiVersionOf, groupResource } from './versioning.js';
import type { WriteOptions } from './write-options.js';

const namespacesTarget = { group: '', resource: 'namespaces', namespaced: false };

/** Checks and defaults apiVersion/kind of a request body. */
export function checkTypeMeta(type: ResourceType, obj: KubeObject): void {
  const want = apiVersionOf(type);
  if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = want;
  if (obj.kind === undefined || obj.kind === '') obj.kind = type.kind;
  if (obj.kind !== type.kind) {
    throw badRequestError(`the object provided is unrecognized (must be of type ${type.kind}): couldn't get version/kind; json parse error: kind ${obj.kind} does not match ${type.kind}`);
  }
  if (obj.apiVersion !== want) {
    // Another served version of the same group is converted (None); anything else is rejected.
    const [group] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : [''];
    if (group !== type.group) throw badRequestError(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
    obj.apiVersion = want;
  }
}

export function checkNamespace(type: ResourceType, obj: KubeObject, namespace: string): void {
  if (!type.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const ns = obj.metadata.namespace;
  if (ns !== undefined && ns !== '' && ns !== namespace) throw badRequestError('the namespace of the provided object does not match the namespace sent on the request');
  obj.metadata.namespace = namespace;
}

/** NamespaceLifecycle: new content needs a live namespace. */
export async function checkNamespaceLive(objects: ObjectStore, type: ResourceType, namespace: string, name: string): Promise<void> {
  if (!type.namespaced || objects.namespaces.isActive(namespace)) return;
  const ns = await objects.tryGet({ ...namespacesTarget }, '', namespace);
  if (ns === undefined) throw notFoundError({ group: '', resource: 'namespaces' }, namespace);
  if (ns.object.metadata.deletionTimestamp !== undefined) {
    throw forbiddenError(groupResource(type), name, `unable to create new content in namespace ${namespace} because it is being terminated`, [
      { reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' },
    ]);
  }
}

/** Defaults and validates (names included: the schema module knows each kind's rule); returns the warnings for Warning headers. */
export function defaultAndValidate(collab: Collaborators, type: ResourceType, obj: KubeObject, options: WriteOptions, old?: KubeObject): string[] {
  collab.schema.applyDefaults(type, obj);
  const result = collab.schema.validate(type, obj, {
    fieldValidation: options.fieldValidation, operation: old === undefined ? 'create' : 'update', subresource: options.subresource,
    ...(old === undefined ? {} : { old }), ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }),
  });
  if (result.badRequest !== undefined) throw badRequestError(result.badRequest);
  if (result.causes.length > 0) throw invalidError({ group: type.group, kind: type.kind }, obj.metadata.name ?? '', result.causes);
  return result.warnings;
}
