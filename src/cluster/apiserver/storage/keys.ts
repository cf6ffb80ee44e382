/**
 * Storage layout: `/registry/<group>/<resource>/<namespace>/<name>` for
 * namespaced objects and `/registry/<group>/<resource>/<name>` for
 * cluster-scoped ones; the core group is spelled "core". Keys do not
 * include the version: every version of a resource shares one storage.
 */
export interface StorageTarget {
  group: string;
  resource: string;
  namespaced: boolean;
  /** Set when the resource lives in another group's storage (events.k8s.io Events in core Events'). */
  storageGroup?: string;
}

export function resourcePrefix(t: StorageTarget): string {
  const group = t.storageGroup ?? t.group;
  return `/registry/${group === '' ? 'core' : group}/${t.resource}/`;
}

/** Prefix for a list: one namespace, or all of them when namespace is "". */
export function listPrefix(t: StorageTarget, namespace: string): string {
  return t.namespaced && namespace !== '' ? `${resourcePrefix(t)}${namespace}/` : resourcePrefix(t);
}

export function objectKey(t: StorageTarget, namespace: string, name: string): string {
  return t.namespaced ? `${resourcePrefix(t)}${namespace}/${name}` : `${resourcePrefix(t)}${name}`;
}
