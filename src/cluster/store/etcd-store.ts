/**
 * The store on a real etcd (3.4+), mapped directly onto etcd's own
 * revisions: create = txn(createRevision == 0), update/delete =
 * txn(modRevision == expected), reads are ranges at a revision, watches are
 * etcd watches with prevKv (see etcd-watch-mux.ts), compaction is etcd's.
 */
import { Etcd3, type IRangeRequest, type IResponseOp, type ITxnResponse } from 'etcd3';
import { alreadyExists, conflict, errorMessage, invalidArgument, notFound, unavailable } from '../../core/index.js';
import { COMPACTED_MESSAGE, etcdPrefixRange, fromEtcdKv, FUTURE_MESSAGE, mapEtcdError } from './etcd-keys.js';
import { EtcdWatchMux } from './etcd-watch-mux.js';
import { expired, futureRevision } from './revision-errors.js';
import type { KeyValue, ListOptions, ListResult, Store, WatchBatch, WatchOptions } from './types.js';

export interface EtcdStoreOptions {
  /** Client endpoints, e.g. ['http://127.0.0.1:2379']. */
  endpoints: string[];
  /** Queued events at which a slow watcher's etcd watch is paused (default 10000). */
  maxBufferedEvents?: number;
  /** Per-call deadline (default 30 s). */
  callTimeoutMs?: number;
}

/** Key used only for probes (revision and compaction queries); never written. */
const PROBE_KEY = Buffer.from('\0berth-store-probe');

export class EtcdStore implements Store {
  readonly ready: Promise<void>;
  private readonly client: Etcd3;
  private readonly watches: EtcdWatchMux;
  private closed = false;

  constructor(options: EtcdStoreOptions) {
    const timeout = options.callTimeoutMs ?? 30_000;
    this.client = new Etcd3({
      hosts: options.endpoints,
      dialTimeout: 5000,
      // gRPC's 4 MiB default would fail large lists and watch responses (kube clients lift it too).
      grpcOptions: { 'grpc.max_receive_message_length': -1 },
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeout }),
    });
    this.watches = new EtcdWatchMux(this.client, options.maxBufferedEvents ?? 10_000);
    this.ready = this.waitReady();
    this.ready.catch(() => undefined); // observed by whoever awaits it
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    const k = Buffer.from(key, 'utf8');
    const res = await this.txn('create', {
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: asBuffer(value) } }],
    });
    if (!res.succeeded) throw alreadyExists(`key ${key} already exists`);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    const k = Buffer.from(key, 'utf8');
    const res = await this.txn('update', {
      compare: [
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
        { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
      ],
      success: [{ request_put: { key: k, value: asBuffer(value), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.writeRefused(key, expectedModRevision, res.responses[0]);
    const prev = res.responses[0]?.response_put.prev_kv;
    return { key, value, createRevision: Number(prev?.create_revision ?? 0), modRevision: Number(res.header.revision) };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const k = Buffer.from(key, 'utf8');
    const res = await this.txn('delete', {
      compare: [
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
        ...(expectedModRevision === undefined
          ? []
          : [{ key: k, target: 'Mod' as const, result: 'Equal' as const, mod_revision: expectedModRevision }]),
      ],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.writeRefused(key, expectedModRevision, res.responses[0]);
    const prev = res.responses[0]?.response_delete_range.prev_kvs[0];
    if (prev === undefined) throw notFound(`key ${key} not found`);
    return { ...fromEtcdKv(prev), key, modRevision: Number(res.header.revision) };
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    const res = await this.range('get', { key: Buffer.from(key, 'utf8'), revision: revision ?? 0 });
    const kv = res.kvs[0];
    return kv === undefined ? undefined : fromEtcdKv(kv);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const res = await this.range('list', {
      ...etcdPrefixRange(prefix, options.startKey),
      revision: options.revision ?? 0,
      limit: options.limit ?? 0,
    });
    // header.revision is the store's current revision; a read at an explicit revision is at that one.
    const revision = options.revision !== undefined && options.revision > 0 ? options.revision : Number(res.header.revision);
    return { kvs: res.kvs.map(fromEtcdKv), revision, more: res.more, count: Number(res.count) };
  }

  async currentRevision(): Promise<number> {
    const res = await this.range('revision', { key: PROBE_KEY, count_only: true });
    return Number(res.header.revision);
  }

  /**
   * etcd does not report its compaction point, but it tells a watcher that
   * starts too early: so probe a read at revision 1, and only if that is
   * compacted, open a watch there and read the compact revision off its cancel.
   */
  async compactedRevision(): Promise<number> {
    this.assertOpen();
    try {
      await this.client.kv.range({ key: PROBE_KEY, revision: 1, count_only: true });
      return 0;
    } catch (err) {
      if (!errorMessage(err).includes(COMPACTED_MESSAGE)) throw mapEtcdError(err, 'compaction probe');
    }
    const controller = new AbortController();
    try {
      for await (const _ of this.watches.subscribe('\0berth-store-probe', { afterRevision: 0, signal: controller.signal })) {
        break; // unreachable: nothing is ever written under the probe key
      }
    } catch (err) {
      const compacted = (err as { details?: Record<string, unknown> }).details?.['compactedRevision'];
      if (typeof compacted === 'number') return compacted;
      throw err;
    } finally {
      controller.abort();
    }
    return 0;
  }

  watch(prefix: string, options: WatchOptions): AsyncIterable<WatchBatch> {
    return this.watches.subscribe(prefix, options);
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    try {
      await this.client.kv.compact({ revision, physical: false });
    } catch (err) {
      const message = errorMessage(err);
      if (message.includes(COMPACTED_MESSAGE)) return; // already compacted at or past it
      if (message.includes(FUTURE_MESSAGE)) throw invalidArgument(`cannot compact to future revision ${revision}`);
      throw mapEtcdError(err, 'compact');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.watches.close();
    this.client.close();
  }

  /** Retries a cheap read until etcd answers (components wait on ready before serving). */
  private async waitReady(): Promise<void> {
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      if (this.closed) throw unavailable('store is closed');
      try {
        await this.currentRevision();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async txn(what: string, request: Parameters<Etcd3['kv']['txn']>[0]): Promise<ITxnResponse> {
    this.assertOpen();
    try {
      return await this.client.kv.txn(request);
    } catch (err) {
      throw mapEtcdError(err, what);
    }
  }

  private async range(what: string, request: IRangeRequest) {
    this.assertOpen();
    try {
      return await this.client.kv.range(request);
    } catch (err) {
      const message = errorMessage(err);
      const requested = Number(request.revision ?? 0);
      if (message.includes(COMPACTED_MESSAGE)) throw expired(requested, await this.compactedRevisionOr(requested + 1));
      if (message.includes(FUTURE_MESSAGE)) throw futureRevision(requested, await this.currentRevision().catch(() => 0));
      throw mapEtcdError(err, what);
    }
  }

  /** For error details only; falls back to a lower bound if the probe fails. */
  private async compactedRevisionOr(fallback: number): Promise<number> {
    try {
      return await this.compactedRevision();
    } catch {
      return fallback;
    }
  }

  /** Why a guarded update/delete failed, from the failure branch's read of the key. */
  private writeRefused(key: string, expected: number | undefined, failure: IResponseOp | undefined): Error {
    const current = failure?.response_range.kvs[0];
    if (current === undefined) return notFound(`key ${key} not found`);
    const modRevision = Number(current.mod_revision);
    return conflict(`key ${key} was modified at revision ${modRevision}, expected ${expected}`, {
      details: { currentRevision: modRevision },
    });
  }

  private assertOpen(): void {
    if (this.closed) throw unavailable('store is closed');
  }
}

function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
