import { invalidArgument, type Filters } from '../../core/index.js';
import type { EngineEvent, EventPredicate } from './event-bus.js';

const KEYS = ['container', 'event', 'image', 'label', 'network', 'volume', 'type', 'daemon', 'plugin', 'scope', 'node', 'service', 'secret', 'config'];

/** Docker's event filters: OR within one key, AND across keys. */
export function eventPredicate(filters: Filters): EventPredicate {
  for (const key of filters.keys()) if (!KEYS.includes(key)) throw invalidArgument(`Invalid filter '${key}'`);
  const any = (key: string, test: (v: string) => boolean): boolean => {
    const values = filters.get(key);
    return values === undefined || values.length === 0 || values.some(test);
  };
  return (e) => {
    const a = e.Actor.Attributes;
    return (
      any('type', (v) => v === e.Type) &&
      any('event', (v) => v === e.Action || e.Action.startsWith(v + ':')) &&
      any('container', (v) => e.Type === 'container' && (e.Actor.ID.startsWith(v) || a['name'] === v)) &&
      any('image', (v) => (e.Type === 'image' && (e.Actor.ID === v || e.Actor.ID.startsWith(v))) || a['image'] === v || a['image'] === `${v}:latest`) &&
      any('network', (v) => e.Type === 'network' && (e.Actor.ID.startsWith(v) || a['name'] === v)) &&
      any('volume', (v) => e.Type === 'volume' && e.Actor.ID === v) &&
      any('scope', (v) => v === e.scope) &&
      any('daemon', (v) => e.Type === 'daemon' && (e.Actor.ID === v || a['name'] === v)) &&
      any('label', (v) => {
        const eq = v.indexOf('=');
        return eq < 0 ? v in a : a[v.slice(0, eq)] === v.slice(eq + 1);
      })
    );
  };
}

/** Parses `since`/`until`: unix seconds (with optional .nanos) or RFC3339. */
export function parseEventTime(value: string | undefined, fallbackNs: number): number {
  if (value === undefined || value === '') return fallbackNs;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (m) return Number(m[1]) * 1e9 + Number((m[2] ?? '').padEnd(9, '0'));
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`invalid time value ${value}`);
  return t * 1e6;
}
