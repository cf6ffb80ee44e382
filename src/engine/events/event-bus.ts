import { EventEmitter } from 'node:events';

export type EventType = 'container' | 'image' | 'network' | 'volume' | 'daemon' | 'plugin';

/** Docker's event message (API 1.41 keeps the legacy status/id/from fields). */
export interface EngineEvent {
  status?: string;
  id?: string;
  from?: string;
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
}

export interface PublishInput {
  type: EventType;
  action: string;
  id: string;
  attributes?: Record<string, string>;
}

export type EventPredicate = (e: EngineEvent) => boolean;

/** How many past events `docker events --since` can replay (dockerd keeps 256). */
const HISTORY = 1024;

/**
 * The engine's event log: a bounded history for --since/--until replay plus
 * live subscribers. Publishing never blocks on a slow subscriber.
 */
export class EventBus {
  private readonly history: EngineEvent[] = [];
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(input: PublishInput): EngineEvent {
    const nowNs = process.hrtime.bigint() - hrtimeBase + epochBaseNs;
    // dockerd renders Attributes from a Go map: keys sorted.
    const attributes = Object.fromEntries(Object.entries(input.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const event: EngineEvent = {
      Type: input.type,
      Action: input.action,
      Actor: { ID: input.id, Attributes: attributes },
      scope: 'local',
      time: Number(nowNs / 1_000_000_000n),
      timeNano: Number(nowNs),
    };
    if (input.type === 'container' || input.type === 'image') {
      const legacy: Partial<EngineEvent> = { status: input.action, id: input.id };
      if (input.type === 'container') legacy.from = attributes['image'] ?? '';
      Object.assign(event, legacy);
      // Keep Docker's key order: status, id, from first.
      const ordered = { ...legacy, ...event } as EngineEvent;
      return this.record(ordered);
    }
    return this.record(event);
  }

  private record(event: EngineEvent): EngineEvent {
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.shift();
    this.emitter.emit('event', event);
    return event;
  }

  /** Past events with timeNano in [sinceNs, untilNs]. */
  replay(sinceNs: number, untilNs: number, match: EventPredicate): EngineEvent[] {
    return this.history.filter((e) => e.timeNano >= sinceNs && e.timeNano <= untilNs && match(e));
  }

  /** Live events; returns the unsubscribe function. */
  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

// Wall-clock nanoseconds with monotonic ordering inside one daemon run.
const hrtimeBase = process.hrtime.bigint();
const epochBaseNs = BigInt(Date.now()) * 1_000_000n;
