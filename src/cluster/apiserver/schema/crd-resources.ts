/**
 * Turns a CustomResourceDefinition (apiextensions.k8s.io/v1) into the
 * resources it serves: one ResourceInfo per served version, plus each
 * version's structural schema.
 */
import { compareKubeVersions } from './kube-versions.js';
import type { KubeObject, OpenApiSchema, PrinterColumn, ResourceInfo, SubresourceInfo } from './types.js';

/** The apiextensions discovery controller lists CRD verbs in this (unsorted) order. */
const CRD_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'] as const;
const GPU = ['get', 'patch', 'update'] as const;

export interface CrdVersion {
  info: ResourceInfo;
  schema: OpenApiSchema | undefined;
}

export interface ParsedCrd {
  name: string;
  group: string;
  plural: string;
  versions: CrdVersion[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Parses the parts of a CRD that serving needs; returns a problem string when it cannot be served. */
export function parseCrd(crd: KubeObject): ParsedCrd | string {
  const name = s(obj(crd.metadata)['name']);
  const spec = obj(crd['spec']);
  const names = obj(spec['names']);
  const group = s(spec['group']);
  const plural = s(names['plural']);
  const kind = s(names['kind']);
  if (name === undefined || group === undefined || plural === undefined || kind === undefined) {
    return 'spec.group, spec.names.plural and spec.names.kind are required';
  }
  const namespaced = spec['scope'] !== 'Cluster';
  const versions = Array.isArray(spec['versions']) ? spec['versions'].map(obj) : [];
  const storage = versions.find((v) => v['storage'] === true);
  const storageVersion = s(storage?.['name']) ?? s(versions[0]?.['name']) ?? '';
  const out: CrdVersion[] = [];
  for (const v of versions) {
    const version = s(v['name']);
    if (version === undefined || v['served'] === false) continue;
    const subs = obj(v['subresources']);
    // Status before scale, group/version spelled out: the order and shape of the CRD discovery controller.
    const subresources: SubresourceInfo[] = [];
    if (subs['status'] !== undefined) subresources.push({ name: 'status', kind, group, version, verbs: GPU });
    const scaleSpec = subs['scale'] === undefined ? undefined : obj(subs['scale']);
    if (scaleSpec !== undefined) {
      subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: GPU });
    }
    const info: ResourceInfo = {
      group,
      version,
      resource: plural,
      singular: s(names['singular']) ?? kind.toLowerCase(),
      kind,
      listKind: s(names['listKind']) ?? `${kind}List`,
      namespaced,
      shortNames: strs(names['shortNames']),
      categories: strs(names['categories']),
      verbs: CRD_VERBS,
      subresources,
      crd: name,
      printerColumns: printerColumns(v['additionalPrinterColumns']),
      storageVersion,
    };
    if (scaleSpec !== undefined) {
      const spr = s(scaleSpec['specReplicasPath']);
      const str = s(scaleSpec['statusReplicasPath']);
      const sel = s(scaleSpec['labelSelectorPath']);
      if (spr !== undefined && str !== undefined) {
        info.scale = sel === undefined ? { specReplicasPath: spr, statusReplicasPath: str } : { specReplicasPath: spr, statusReplicasPath: str, labelSelectorPath: sel };
      }
    }
    const schema = obj(v['schema'])['openAPIV3Schema'];
    out.push({ info, schema: typeof schema === 'object' && schema !== null ? (schema as OpenApiSchema) : undefined });
  }
  out.sort((a, b) => compareKubeVersions(a.info.version, b.info.version));
  return { name, group, plural, versions: out };
}

function printerColumns(v: unknown): PrinterColumn[] {
  if (!Array.isArray(v)) return [];
  const cols: PrinterColumn[] = [];
  for (const raw of v.map(obj)) {
    const name = s(raw['name']);
    const jsonPath = s(raw['jsonPath']);
    if (name === undefined || jsonPath === undefined) continue;
    const col: PrinterColumn = { name, type: s(raw['type']) ?? 'string', jsonPath };
    const format = s(raw['format']);
    const description = s(raw['description']);
    if (format !== undefined) col.format = format;
    if (description !== undefined) col.description = description;
    if (typeof raw['priority'] === 'number') col.priority = raw['priority'];
    cols.push(col);
  }
  return cols;
}
