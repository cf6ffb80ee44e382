/**
 * Discovery documents as pure functions of the registry (subresources in
 * table order: alphabetical for built-ins, status-then-scale for CRDs): aggregated
 * (apidiscovery.k8s.io/v2 APIGroupDiscoveryList, shape of kubernetes
 * api/discovery/aggregated_v2.json) and the legacy APIVersions /
 * APIGroupList / APIGroup / APIResourceList.
 */
import { createHash } from 'node:crypto';
import type { DiscoveryDocuments, KubeObject, ResourceInfo, ResourceRegistry } from './types.js';

/** apimachinery's discovery.StorageVersionHash: first 8 bytes of sha256("group/version/kind"), base64. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

const groupVersion = (group: string, version: string): string => (group === '' ? version : `${group}/${version}`);
const byName = (a: ResourceInfo, b: ResourceInfo): number => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0);

/** Stored resources carry a storage version hash; virtual ones (reviews, bindings) do not. */
function isStored(r: ResourceInfo): boolean {
  return r.verbs.includes('list') && r.resource !== 'componentstatuses';
}

function aggregatedResource(r: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.resource,
    // Built-ins leave group/version empty (as the upstream fixture); the CRD controller fills them.
    responseKind: r.crd === undefined ? { group: '', version: '', kind: r.kind } : { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length > 0) out['shortNames'] = [...r.shortNames];
  if (r.categories.length > 0) out['categories'] = [...r.categories];
  if (r.subresources.length > 0) {
    out['subresources'] = r.subresources.map((s) => ({ subresource: s.name, responseKind: { group: s.group ?? '', version: s.version ?? '', kind: s.kind }, verbs: [...s.verbs] }));
  }
  return out;
}

function legacyResources(r: ResourceInfo): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] };
  if (r.shortNames.length > 0) main['shortNames'] = [...r.shortNames];
  if (r.categories.length > 0) main['categories'] = [...r.categories];
  if (isStored(r)) main['storageVersionHash'] = storageVersionHash(r.group, r.storageVersion, r.kind);
  const out = [main];
  for (const s of r.subresources) {
    const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced };
    // Only a kind from another group-version names it (deployments/scale → autoscaling/v1).
    if (s.group !== undefined && (s.group !== r.group || s.version !== r.version)) {
      sub['group'] = s.group;
      sub['version'] = s.version;
    }
    sub['kind'] = s.kind;
    sub['verbs'] = [...s.verbs];
    out.push(sub);
  }
  return out;
}

export class KubeDiscovery implements DiscoveryDocuments {
  private cache = new Map<string, KubeObject | undefined>();
  private cachedAt = -1;

  constructor(private readonly registry: ResourceRegistry) {}

  aggregated(prefix: 'api' | 'apis'): KubeObject {
    return this.memo(`agg:${prefix}`, () => {
      const items = this.registry
        .groups()
        .filter((g) => (prefix === 'api' ? g.group === '' : g.group !== ''))
        .map((g) => ({
          metadata: { name: g.group, creationTimestamp: null },
          versions: g.versions.map((version) => ({
            version,
            resources: this.resourcesOf(g.group, version).map(aggregatedResource),
            freshness: 'Current',
          })),
        }));
      return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
    }) as KubeObject;
  }

  apiVersions(serverAddress = '127.0.0.1:6443'): KubeObject {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }

  apiGroupList(): KubeObject {
    return this.memo('groups', () => ({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.registry
        .groups()
        .filter((g) => g.group !== '')
        .map((g) => this.groupBody(g.group)),
    })) as KubeObject;
  }

  apiGroup(group: string): KubeObject | undefined {
    if (group === '' || !this.registry.groups().some((g) => g.group === group)) return undefined;
    return { kind: 'APIGroup', apiVersion: 'v1', ...this.groupBody(group) };
  }

  apiResourceList(group: string, version: string): KubeObject | undefined {
    return this.memo(`rl:${group}/${version}`, () => {
      const resources = this.resourcesOf(group, version);
      if (resources.length === 0) return undefined;
      return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources: resources.flatMap(legacyResources) };
    });
  }

  private groupBody(group: string): Record<string, unknown> {
    const g = this.registry.groups().find((x) => x.group === group);
    const versions = (g?.versions ?? []).map((v) => ({ groupVersion: groupVersion(group, v), version: v }));
    return { name: group, versions, preferredVersion: versions[0] };
  }

  private resourcesOf(group: string, version: string): ResourceInfo[] {
    return this.registry.all().filter((r) => r.group === group && r.version === version).sort(byName);
  }

  /** Documents are cached until the registry changes. */
  private memo(key: string, build: () => KubeObject | undefined): KubeObject | undefined {
    if (this.cachedAt !== this.registry.generation) {
      this.cache = new Map();
      this.cachedAt = this.registry.generation;
    }
    if (!this.cache.has(key)) this.cache.set(key, build());
    return this.cache.get(key);
  }
}
