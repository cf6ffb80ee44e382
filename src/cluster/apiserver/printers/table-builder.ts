/**
 * Builds meta.k8s.io Tables: picks the kind's printer (built-in table,
 * CRD additionalPrinterColumns, or the default Name/Created At), renders
 * rows, and attaches the row object per includeObject.
 */
import { timestampSince } from './human-duration.js';
import { evalJsonPath } from './jsonpath.js';
import { col, createdAt, createdAtCol, nameCol, nameOf, obj } from './print-helpers.js';
import { podRowConditions } from './print-pod.js';
import { appsPrinters } from './printers-apps.js';
import { corePrinters } from './printers-core.js';
import { miscPrinters } from './printers-misc.js';
import type { KubeObject, PrinterColumn } from '../schema/index.js';
import type { KindPrinter, PrintableResource, Table, TableColumnDefinition, TableOptions, TableRow } from './types.js';

/** The built-in printer of a resource, undefined when Kubernetes has none (default columns). */
export function builtinPrinter(group: string, resource: string): KindPrinter | undefined {
  if (group === '') return corePrinters[resource];
  if (['apps', 'batch', 'autoscaling', 'policy'].includes(group)) return appsPrinters[resource];
  return miscPrinters[`${group}/${resource}`];
}

const defaultPrinter: KindPrinter = { columns: [nameCol(), createdAtCol()], cells: (o) => [nameOf(o), createdAt(o)] };

function cellFor(column: PrinterColumn, o: KubeObject, now: Date): unknown {
  let values: unknown[];
  try {
    values = evalJsonPath(o, column.jsonPath);
  } catch {
    return null;
  }
  if (values.length === 0) return null;
  if (column.type === 'date') return timestampSince(values[0], now);
  if (values.length > 1) return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  const v = values[0];
  switch (column.type) {
    case 'integer': return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number': return typeof v === 'number' ? v : null;
    case 'boolean': return typeof v === 'boolean' ? v : null;
    case 'string': return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
    default: return v;
  }
}

/** The apiextensions table convertor: Name plus the version's columns (default: Age). */
export function crdPrinter(columns: readonly PrinterColumn[] | undefined): KindPrinter {
  const cols: PrinterColumn[] = columns === undefined || columns.length === 0
    ? [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: '' }]
    : [...columns];
  const defs: TableColumnDefinition[] = [nameCol(), ...cols.map((c) => (c.name === 'Age' && c.description === ''
    ? col('Age', 'date', ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp'], c.priority ?? 0, c.format ?? '')
    : col(c.name, c.type, c.description ?? '', c.priority ?? 0, c.format ?? '')))];
  return { columns: defs, cells: (o, now) => [nameOf(o), ...cols.map((c) => cellFor(c, o, now))] };
}

export function printerFor(resource: PrintableResource): KindPrinter {
  if (resource.crd !== undefined) return crdPrinter(resource.printerColumns);
  return builtinPrinter(resource.group, resource.resource) ?? defaultPrinter;
}

/** PartialObjectMetadata of an object, the row object for includeObject=Metadata. */
export function partialObjectMetadata(o: KubeObject, tableApiVersion: string): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: tableApiVersion, metadata: obj(o.metadata) };
}

export function printTable(resource: PrintableResource, objects: readonly KubeObject[], options: TableOptions = {}): Table {
  const apiVersion = options.apiVersion ?? 'meta.k8s.io/v1';
  const include = options.includeObject ?? 'Metadata';
  const now = options.now ?? new Date();
  const printer = printerFor(resource);
  const rows: TableRow[] = objects.map((o) => {
    const row: TableRow = { cells: printer.cells(o, now) };
    if (resource.group === '' && resource.resource === 'pods') {
      const conditions = podRowConditions(o);
      if (conditions !== undefined) row.conditions = conditions;
    }
    if (include === 'Object') row.object = o;
    else if (include === 'Metadata') row.object = partialObjectMetadata(o, apiVersion);
    return row;
  });
  const metadata: Table['metadata'] = {};
  const lm = options.listMeta;
  if (lm?.resourceVersion !== undefined) metadata.resourceVersion = lm.resourceVersion;
  if (lm?.continue !== undefined && lm.continue !== '') metadata.continue = lm.continue;
  if (lm?.remainingItemCount !== undefined) metadata.remainingItemCount = lm.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion,
    metadata,
    columnDefinitions: options.noHeaders === true ? [] : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
