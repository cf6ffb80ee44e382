/**
 * Response shapes for reads: plain objects and lists, server-side Tables
 * (via the printers port, falling back to upstream's default Name + Created
 * At table) and PartialObjectMetadata(List).
 */
import type { PrinterPort } from '../collaborators.js';
import type { Transform } from '../http/negotiate.js';
import type { KubeObject, ResourceType } from '../types.js';
import { apiVersionOf, forVersion } from './versioning.js';

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** upstream's DefaultTableConvertor: Name and Created At. */
export function defaultTable(objects: KubeObject[], options: { apiVersion: string; includeObject: 'None' | 'Metadata' | 'Object'; noHeaders: boolean; listMeta?: Record<string, unknown> }): KubeObject {
  const columnDefinitions = options.noHeaders ? [] : [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 },
    { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 },
  ];
  return {
    kind: 'Table',
    apiVersion: options.apiVersion,
    metadata: (options.listMeta ?? {}) as KubeObject['metadata'],
    columnDefinitions,
    rows: objects.map((o) => ({ cells: [o.metadata.name ?? '', o.metadata.creationTimestamp ?? ''], object: rowObject(o, options.includeObject, options.apiVersion) })),
  };
}

export function rowObject(o: KubeObject, include: 'None' | 'Metadata' | 'Object', tableApiVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: tableApiVersion, metadata: o.metadata };
}

export function includeObjectParam(query: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function toTable(printers: PrinterPort | undefined, type: ResourceType, objects: KubeObject[], opts: { version: 'v1' | 'v1beta1'; includeObject: 'None' | 'Metadata' | 'Object'; noHeaders: boolean; listMeta?: ListMeta }): KubeObject {
  const apiVersion = `meta.k8s.io/${opts.version}`;
  const base = { apiVersion, includeObject: opts.includeObject, noHeaders: opts.noHeaders, ...(opts.listMeta === undefined ? {} : { listMeta: { ...opts.listMeta } }) };
  if (printers !== undefined) return printers.toTable(type, objects, base);
  return defaultTable(objects, base);
}

export function partial(o: KubeObject, version: string): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata };
}

/** Renders one object for a response. */
export function renderObject(type: ResourceType, o: KubeObject, transform: Transform, printers: PrinterPort | undefined, includeObject: 'None' | 'Metadata' | 'Object'): unknown {
  o = forVersion(type, o);
  if (transform.kind === 'table') return toTable(printers, type, [o], { version: transform.version, includeObject, noHeaders: false });
  if (transform.kind === 'partial') return partial(o, transform.version);
  return o;
}

export function renderList(type: ResourceType, items: KubeObject[], meta: ListMeta, transform: Transform, printers: PrinterPort | undefined, includeObject: 'None' | 'Metadata' | 'Object'): unknown {
  items = items.map((o) => forVersion(type, o));
  const metadata: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
  if (meta.continue !== undefined) metadata['continue'] = meta.continue;
  if (meta.remainingItemCount !== undefined) metadata['remainingItemCount'] = meta.remainingItemCount;
  if (transform.kind === 'table') return toTable(printers, type, items, { version: transform.version, includeObject, noHeaders: false, listMeta: meta });
  if (transform.kind === 'partial') {
    return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${transform.version}`, metadata, items: items.map((o) => partial(o, transform.version)) };
  }
  return { kind: type.listKind, apiVersion: apiVersionOf(type), metadata, items };
}
