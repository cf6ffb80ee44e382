/**
 * Watches for the etcd store: every watcher of one store shares one gRPC
 * watch stream, told apart by client-chosen watch ids (etcd >= 3.4), so
 * hundreds of watchers cost one HTTP/2 stream. Events come with prevKv;
 * progress notifications become progress-only batches. A cancel carrying a
 * compact revision becomes Expired; a lost stream fails its watchers with
 * Unavailable (the caller re-watches from its last revision, as Kubernetes
 * clients do).
 *
 * The stream is always closed with end() before cancel(): etcd3 treats an
 * error on a still-writable stream as a host failure and resets the whole
 * connection, which would break every other call in flight.
 */
import type { Etcd3, IDuplexStream, IWatchRequest, IWatchResponse } from 'etcd3';
import { logger, unavailable } from '../../core/index.js';
import { etcdPrefixRange, fromEtcdEvent, mapEtcdError } from './etcd-keys.js';
import { expired } from './revision-errors.js';
import type { WatchBatch, WatchOptions } from './types.js';
import { WatchSubscription, type WatchSource } from './watch-subscription.js';

const log = logger('store.etcd.watch');

type WatchStream = IDuplexStream<IWatchRequest, IWatchResponse>;

export class EtcdWatchMux implements WatchSource {
  private stream: Promise<WatchStream> | undefined;
  private nextId = 1;
  private readonly byId = new Map<number, WatchSubscription>();
  private readonly idOf = new Map<WatchSubscription, number>();
  private closed = false;

  constructor(
    private readonly client: Etcd3,
    private readonly maxBufferedEvents: number,
  ) {}

  subscribe(prefix: string, options: WatchOptions): AsyncIterable<WatchBatch> {
    return new WatchSubscription(prefix, options, this, this.maxBufferedEvents).iterate();
  }

  async start(sub: WatchSubscription): Promise<void> {
    if (this.closed) throw unavailable('store is closed');
    const stream = await this.openStream();
    if (!sub.active) return;
    const id = this.nextId++;
    this.byId.set(id, sub);
    this.idOf.set(sub, id);
    stream.write({
      create_request: {
        ...etcdPrefixRange(sub.prefix),
        start_revision: sub.position + 1,
        prev_kv: true,
        progress_notify: sub.progressNotify,
        watch_id: id,
      },
    });
  }

  stop(sub: WatchSubscription): void {
    const id = this.idOf.get(sub);
    if (id === undefined) return;
    this.forget(sub);
    // Responses already on the wire for this id are dropped by onResponse.
    void this.stream?.then((stream) => stream.write({ cancel_request: { watch_id: id } })).catch(() => undefined);
  }

  get watcherCount(): number {
    return this.byId.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const sub of [...this.byId.values()]) sub.end();
    const stream = this.stream;
    this.stream = undefined;
    if (stream !== undefined) endStream(await stream.catch(() => undefined));
  }

  private openStream(): Promise<WatchStream> {
    this.stream ??= this.client.watchClient.watch().then(
      (stream) => {
        stream.on('data', (res) => this.onResponse(res));
        stream.on('error', (err) => this.onLost(stream, err));
        stream.on('end', () => this.onLost(stream, new Error('stream ended')));
        return stream;
      },
      (err: unknown) => {
        this.stream = undefined;
        throw mapEtcdError(err, 'watch');
      },
    );
    return this.stream;
  }

  private onResponse(res: IWatchResponse): void {
    const sub = this.byId.get(Number(res.watch_id));
    if (sub === undefined) return; // cancelled by us already
    if (res.canceled) {
      this.forget(sub);
      const compacted = Number(res.compact_revision);
      if (compacted > 0) sub.fail(expired(sub.position + 1, compacted));
      else sub.fail(unavailable(`etcd cancelled the watch: ${res.cancel_reason || 'no reason given'}`));
      return;
    }
    if (res.events.length > 0) {
      const events = res.events.map(fromEtcdEvent);
      sub.push({ events, revision: events[events.length - 1]!.kv.modRevision });
    } else if (!res.created && sub.progressNotify) {
      // etcd sends progress only to synced watchers: everything up to header.revision was delivered.
      sub.push({ events: [], revision: Number(res.header.revision) });
    }
  }

  private onLost(stream: WatchStream, err: unknown): void {
    void this.stream?.then((current) => {
      if (current !== stream) return;
      this.stream = undefined;
      endStream(stream);
      if (this.closed) return;
      log.warn('etcd watch stream lost', { err });
      for (const sub of [...this.byId.values()]) {
        this.forget(sub);
        sub.fail(unavailable('etcd watch stream lost', { cause: err }));
      }
    });
  }

  private forget(sub: WatchSubscription): void {
    const id = this.idOf.get(sub);
    if (id !== undefined) this.byId.delete(id);
    this.idOf.delete(sub);
  }
}

function endStream(stream: WatchStream | undefined): void {
  if (stream === undefined) return;
  try {
    stream.end(); // first: makes the stream non-writable, so etcd3 won't blame the host
    stream.cancel();
  } catch {
    // already closed
  }
}
