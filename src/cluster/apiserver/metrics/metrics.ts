/**
 * The API server's Prometheus metrics, named as kube-apiserver names them:
 * apiserver_request_total, apiserver_request_duration_seconds,
 * apiserver_storage_objects, apiserver_registered_watchers.
 */
import type { ResourceType } from '../types.js';

const BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
}

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${parts.join(',')}}`;
}

/** The verb label as kube-apiserver's cleanVerb reports it: HTTP-ish, with LIST/WATCH/APPLY split out. */
function metricVerb(verb: string): string {
  const map: Record<string, string> = { get: 'GET', list: 'LIST', watch: 'WATCH', create: 'POST', update: 'PUT', patch: 'PATCH', apply: 'APPLY', delete: 'DELETE', deletecollection: 'DELETE' };
  return map[verb] ?? verb.toUpperCase();
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, Histogram>();
  private readonly watchCounts = new Map<string, number>();
  /** Called on scrape: object counts per resource ("deployments.apps"). */
  storageObjects: () => Promise<Map<string, number>> = async () => new Map();

  /** Label texts by a plain key: building them is most of the cost of observing a request. */
  private readonly labelTexts = new Map<string, { request: string; duration: string }>();

  observeRequest(l: RequestLabels, code: number, seconds: number): void {
    const plain = `${l.verb}|${l.group}|${l.version}|${l.resource}|${l.subresource}|${l.scope}|${code}`;
    let texts = this.labelTexts.get(plain);
    if (texts === undefined) {
      const base = { verb: metricVerb(l.verb), group: l.group, version: l.version, resource: l.resource, subresource: l.subresource, scope: l.scope, component: 'apiserver' };
      texts = { request: labelText({ ...base, code: String(code) }), duration: labelText(base) };
      this.labelTexts.set(plain, texts);
    }
    const reqKey = texts.request;
    this.requests.set(reqKey, (this.requests.get(reqKey) ?? 0) + 1);
    if (l.verb === 'watch') return;
    const durKey = texts.duration;
    let h = this.durations.get(durKey);
    if (h === undefined) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(durKey, h);
    }
    BUCKETS.forEach((b, i) => { if (seconds <= b) h.counts[i] = (h.counts[i] ?? 0) + 1; });
    h.sum += seconds;
    h.count++;
  }

  watchers(type: ResourceType, delta: number): void {
    const key = labelText({ group: type.group, version: type.version, kind: type.kind });
    this.watchCounts.set(key, (this.watchCounts.get(key) ?? 0) + delta);
  }

  /** Total of apiserver_request_total, for tests and benchmarks. */
  requestCount(): number {
    let n = 0;
    for (const v of this.requests.values()) n += v;
    return n;
  }

  async render(): Promise<string> {
    const out: string[] = [];
    out.push('# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.');
    out.push('# TYPE apiserver_request_total counter');
    for (const [k, v] of this.requests) out.push(`apiserver_request_total${k} ${v}`);
    out.push('# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.');
    out.push('# TYPE apiserver_request_duration_seconds histogram');
    for (const [k, h] of this.durations) {
      const inner = k.slice(1, -1);
      BUCKETS.forEach((b, i) => out.push(`apiserver_request_duration_seconds_bucket{${inner},le="${b}"} ${h.counts[i] ?? 0}`));
      out.push(`apiserver_request_duration_seconds_bucket{${inner},le="+Inf"} ${h.count}`);
      out.push(`apiserver_request_duration_seconds_sum${k} ${h.sum}`);
      out.push(`apiserver_request_duration_seconds_count${k} ${h.count}`);
    }
    out.push('# HELP apiserver_storage_objects Number of stored objects at the time of last check split by kind.');
    out.push('# TYPE apiserver_storage_objects gauge');
    for (const [resource, n] of await this.storageObjects()) out.push(`apiserver_storage_objects{resource="${resource}"} ${n}`);
    out.push('# HELP apiserver_registered_watchers Number of currently registered watchers for a given resources');
    out.push('# TYPE apiserver_registered_watchers gauge');
    for (const [k, v] of this.watchCounts) out.push(`apiserver_registered_watchers${k} ${v}`);
    return out.join('\n') + '\n';
  }
}
