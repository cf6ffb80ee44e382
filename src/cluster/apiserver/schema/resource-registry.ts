/**
 * The served resources: the built-in table plus CRD-defined resources that
 * come and go at runtime. Lookups are map-based; every change bumps
 * `generation` so discovery and OpenAPI caches can be rebuilt lazily.
 */
import { builtinResources } from './builtin-resources.js';
import { parseCrd, type ParsedCrd } from './crd-resources.js';
import { compareKubeVersions } from './kube-versions.js';
import { gvkKey } from './openapi-source.js';
import type { CrdRegistration, GroupVersionKind, GroupVersions, KubeObject, OpenApiSchema, ResourceInfo, ResourceRegistry } from './types.js';

export class KubeResourceRegistry implements ResourceRegistry {
  private readonly builtins: ResourceInfo[];
  private readonly crds = new Map<string, ParsedCrd>();
  /** Bumped per CRD on every (re)registration, so caches can tell a changed CRD from an unchanged one. */
  private readonly crdRevisions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private gen = 1;
  private index: { byGvr: Map<string, ResourceInfo>; byGvk: Map<string, ResourceInfo>; list: ResourceInfo[]; groups: GroupVersions[] } | undefined;

  constructor() {
    this.builtins = builtinResources();
  }

  get generation(): number {
    return this.gen;
  }

  all(): readonly ResourceInfo[] {
    return this.built().list;
  }

  get(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.built().byGvr.get(`${group}/${version}/${resource}`);
  }

  byKind(gvk: GroupVersionKind): ResourceInfo | undefined {
    return this.built().byGvk.get(gvkKey(gvk.group, gvk.version, gvk.kind));
  }

  groups(): readonly GroupVersions[] {
    return this.built().groups;
  }

  /** The structural schema of a CRD-defined kind. */
  crdSchema(gvk: GroupVersionKind): OpenApiSchema | undefined {
    const info = this.byKind(gvk);
    if (info?.crd === undefined) return undefined;
    return this.crds.get(info.crd)?.versions.find((v) => v.info.version === gvk.version)?.schema;
  }

  registerCrd(crd: KubeObject): CrdRegistration {
    const parsed = parseCrd(crd);
    if (typeof parsed === 'string') return { accepted: false, reason: 'InvalidSpec', message: parsed };
    for (const r of this.all()) {
      if (r.crd === parsed.name || r.group !== parsed.group) continue;
      const first = parsed.versions[0]?.info;
      if (r.resource === parsed.plural) {
        return { accepted: false, reason: 'PluralConflict', message: `"${parsed.plural}" is already in use` };
      }
      if (first !== undefined && r.kind === first.kind) {
        return { accepted: false, reason: 'KindConflict', message: `"${first.kind}" is already in use` };
      }
    }
    this.crds.set(parsed.name, parsed);
    this.crdRevisions.set(parsed.name, this.gen + 1);
    this.changed();
    return { accepted: true, resources: parsed.versions.map((v) => v.info) };
  }

  /** Changes whenever the CRD is registered again (schema, columns or versions may differ). */
  crdRevision(name: string): number {
    return this.crdRevisions.get(name) ?? 0;
  }

  unregisterCrd(name: string): void {
    if (this.crds.delete(name)) this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.gen++;
    this.index = undefined;
    for (const l of this.listeners) l();
  }

  private built(): NonNullable<KubeResourceRegistry['index']> {
    if (this.index !== undefined) return this.index;
    const crdResources = [...this.crds.values()]
      .sort((a, b) => (a.group === b.group ? (a.plural < b.plural ? -1 : 1) : a.group < b.group ? -1 : 1))
      .flatMap((c) => c.versions.map((v) => v.info));
    const list = [...this.builtins, ...crdResources];
    const byGvr = new Map<string, ResourceInfo>();
    const byGvk = new Map<string, ResourceInfo>();
    const versionsByGroup = new Map<string, string[]>();
    for (const r of list) {
      byGvr.set(`${r.group}/${r.version}/${r.resource}`, r);
      const k = gvkKey(r.group, r.version, r.kind);
      if (!byGvk.has(k)) byGvk.set(k, r);
      const vs = versionsByGroup.get(r.group) ?? [];
      if (!vs.includes(r.version)) vs.push(r.version);
      versionsByGroup.set(r.group, vs);
    }
    const groups: GroupVersions[] = [];
    for (const [group, versions] of versionsByGroup) {
      const sorted = [...versions].sort(compareKubeVersions);
      groups.push({ group, versions: sorted, preferredVersion: sorted[0] ?? '' });
    }
    this.index = { byGvr, byGvk, list, groups };
    return this.index;
  }
}
