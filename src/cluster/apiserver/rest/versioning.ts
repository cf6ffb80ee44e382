/**
 * Objects are stored with the apiVersion they were written with and served
 * at the version asked for. Conversion between versions is "None" (only
 * apiVersion changes), which is what CRDs without webhooks do.
 */
import type { KubeObject, ResourceType } from '../types.js';
import type { GroupResource } from '../errors.js';
import type { Target } from '../storage/index.js';
import { fromStorage, isNewEvents } from './conversion.js';

export function apiVersionOf(type: { group: string; version: string }): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** The object as served at the type's version (converted from storage when needed); use the result. */
export function forVersion(type: ResourceType, obj: KubeObject): KubeObject {
  const out = fromStorage(type, obj);
  out.apiVersion = apiVersionOf(type);
  out.kind = type.kind;
  return out;
}

export function targetOf(type: ResourceType): Target {
  // events.k8s.io Events share core Events' storage.
  if (isNewEvents(type)) return { group: type.group, resource: 'events', namespaced: true, storageGroup: '' };
  return { group: type.group, resource: type.resource, namespaced: type.namespaced };
}

export function groupResource(type: ResourceType): GroupResource {
  return { group: type.group, resource: type.resource };
}
