/**
 * Response negotiation. Responses are JSON (every client lists it); the
 * Accept header only selects a server-side transformation: a meta.k8s.io
 * Table, PartialObjectMetadata, or the aggregated discovery document.
 */
import { notAcceptableError } from '../errors.js';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export type Transform =
  | { kind: 'none' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1' };

export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

function jsonish(t: string): boolean {
  return t === 'application/json' || t === '*/*' || t === 'application/*' || t === 'application/yaml' || t === 'application/vnd.kubernetes.protobuf' || t === 'application/vnd.kubernetes.protobuf;stream=watch' || t === 'application/json;stream=watch';
}

/** Chooses the transformation for a resource response; 406 when nothing acceptable is offered. */
export function negotiateTransform(header: string | undefined, isList: boolean): Transform {
  const ranges = parseAccept(header);
  for (const r of ranges) {
    const as = r.params['as'];
    if (as === undefined) {
      if (jsonish(r.type)) return { kind: 'none' };
      continue;
    }
    if (r.type !== 'application/json' || r.params['g'] !== 'meta.k8s.io') continue;
    const v = r.params['v'];
    if (v !== 'v1' && v !== 'v1beta1') continue;
    if (as === 'Table') return { kind: 'table', version: v };
    if (as === 'PartialObjectMetadata' && !isList) return { kind: 'partial', version: v };
    if (as === 'PartialObjectMetadataList' && isList) return { kind: 'partial', version: v };
  }
  throw notAcceptableError(header ?? '');
}

/** True when the client asked for the aggregated discovery format (and names the version). */
export function wantsAggregatedDiscovery(header: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const r of parseAccept(header)) {
    if (r.params['g'] === 'apidiscovery.k8s.io' && r.params['as'] === 'APIGroupDiscoveryList') {
      if (r.params['v'] === 'v2') return 'v2';
      if (r.params['v'] === 'v2beta1') return 'v2beta1';
    }
    if (r.params['as'] === undefined && jsonish(r.type)) return undefined;
  }
  return undefined;
}
