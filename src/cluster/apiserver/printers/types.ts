/**
 * Contracts of the server-side printers: meta.k8s.io Table rendering with the
 * columns of Kubernetes' pkg/printers/internalversion/printers.go.
 */
import type { KubeObject, PrinterColumn } from '../schema/types.js';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: unknown[];
  /** Set on finished pods (type Completed), as printers.go does. */
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata (Metadata, the default), the full object (Object), or absent (None). */
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** Default Metadata, as the apiserver. */
  includeObject?: IncludeObject;
  /** "meta.k8s.io/v1" (default) or "meta.k8s.io/v1beta1". */
  apiVersion?: string;
  /** Omit columnDefinitions (watch events after the first). */
  noHeaders?: boolean;
  /** List metadata to carry over (resourceVersion, continue, remainingItemCount). */
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** Clock for ages; tests pin it. */
  now?: Date;
}

/** Enough of a resource to pick its printer. */
export interface PrintableResource {
  group: string;
  resource: string;
  kind: string;
  /** CRD additionalPrinterColumns; undefined for built-ins. */
  printerColumns?: readonly PrinterColumn[];
  /** Set for CRD-defined resources (default columns Name + Created At). */
  crd?: string;
}

/** A built-in kind's printer: its column definitions and the cells of one object. */
export interface KindPrinter {
  columns: readonly TableColumnDefinition[];
  /** One or more rows per object (Kubernetes prints one for every kind we serve). */
  cells(obj: KubeObject, now: Date): unknown[];
}
