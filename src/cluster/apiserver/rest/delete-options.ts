/** DeleteOptions from the query string and/or the body (JSON or protobuf). */
import type { ProtobufPort } from '../collaborators.js';
import { badRequestError } from '../errors.js';
import { decodeObject as decodeBody } from '../http/body.js';
import type { DeleteOptions } from './resource-deleter.js';

function int(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badRequestError(`${what}: must be an integer`);
  return n;
}

export function parseDeleteOptions(query: URLSearchParams, body: Buffer, contentType: string, protobuf: ProtobufPort | undefined): DeleteOptions {
  const raw: Record<string, unknown> = {};
  if (body.length > 0) Object.assign(raw, decodeBody(body, contentType, protobuf));
  const q = (k: string) => query.get(k);
  if (q('gracePeriodSeconds') !== null) raw['gracePeriodSeconds'] = q('gracePeriodSeconds');
  if (q('propagationPolicy') !== null) raw['propagationPolicy'] = q('propagationPolicy');
  if (q('orphanDependents') !== null) raw['orphanDependents'] = q('orphanDependents') === 'true';
  const dry = [...query.getAll('dryRun'), ...(Array.isArray(raw['dryRun']) ? (raw['dryRun'] as string[]) : [])];
  for (const d of dry) if (d !== 'All') throw badRequestError(`Invalid dry run value: "${d}": supported values: "All"`);
  const out: DeleteOptions = { dryRun: dry.length > 0 };
  if (raw['gracePeriodSeconds'] !== undefined && raw['gracePeriodSeconds'] !== null) out.gracePeriodSeconds = int(raw['gracePeriodSeconds'], 'gracePeriodSeconds');
  const p = raw['propagationPolicy'];
  if (p !== undefined && p !== null && p !== '') {
    if (p !== 'Orphan' && p !== 'Background' && p !== 'Foreground') throw badRequestError(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${String(p)}": supported values: "Foreground", "Background", "Orphan", "nil"`);
    out.propagationPolicy = p;
  }
  if (typeof raw['orphanDependents'] === 'boolean') {
    if (out.propagationPolicy !== undefined) throw badRequestError('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' + out.propagationPolicy + '": orphanDependents and deletionPropagation cannot be both set');
    out.orphanDependents = raw['orphanDependents'];
  }
  const pre = raw['preconditions'] as { uid?: unknown; resourceVersion?: unknown } | undefined;
  if (pre !== undefined && pre !== null) {
    out.preconditions = {};
    if (typeof pre.uid === 'string') out.preconditions.uid = pre.uid;
    if (typeof pre.resourceVersion === 'string') out.preconditions.resourceVersion = pre.resourceVersion;
  }
  return out;
}
