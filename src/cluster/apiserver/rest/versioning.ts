/**
 * Objects are stored with the apiVersion they were written with and served
 * at the version asked for. Conversion between versions is "None" (only
 * apiVersion changes), which is what CRDs without webhooks do.
 */
import type { KubeObject, ResourceType } from '../types.js';
import type { GroupResource } from '../errors.js';
import type { Target } from '../storage/index.js';

export function apiVersionOf(type: { group: string; version: string }): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export function forVersion(type: ResourceType, obj: KubeObject): KubeObject {
  obj.apiVersion = apiVersionOf(type);
  obj.kind = type.kind;
  return obj;
}

export function targetOf(type: ResourceType): Target {
  return { group: type.group, resource: type.resource, namespaced: type.namespaced };
}

export function groupResource(type: ResourceType): GroupResource {
  return { group: type.group, resource: type.resource };
}
