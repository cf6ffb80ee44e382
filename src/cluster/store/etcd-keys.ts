/**
 * Conversions between etcd's wire shapes (byte keys, int64 revisions as
 * strings) and the store's, plus etcd error mapping.
 */
import type { IEvent, IKeyValue } from 'etcd3';
import { BerthError, errorMessage, internal, invalidArgument, unavailable } from '../../core/index.js';
import { rangeStart } from './key-range.js';
import type { KeyValue, WatchEvent } from './types.js';

/** [key, range_end) covering every key that starts with prefix; range_end [0] means "to the end". */
export function etcdPrefixRange(prefix: string, startKey?: string): { key: Buffer; range_end: Buffer } {
  const start = Buffer.from(rangeStart(prefix, startKey), 'utf8');
  const end = Buffer.from(prefix, 'utf8');
  let i = end.length - 1;
  while (i >= 0 && end[i] === 0xff) i--;
  const rangeEnd = i < 0 ? Buffer.from([0]) : Buffer.concat([end.subarray(0, i), Buffer.from([end[i]! + 1])]);
  return { key: start.length === 0 ? Buffer.from([0]) : start, range_end: rangeEnd };
}

export function fromEtcdKv(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString('utf8'),
    value: kv.value,
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}

export function fromEtcdEvent(event: IEvent): WatchEvent {
  const kv = fromEtcdKv(event.kv);
  const prev = event.prev_kv ? fromEtcdKv(event.prev_kv) : undefined;
  if (event.type === 'Delete') {
    // etcd's tombstone has no value or create revision: report the deleted state instead.
    const deleted = prev === undefined ? kv : { ...prev, modRevision: kv.modRevision };
    return prev === undefined ? { type: 'delete', kv: deleted } : { type: 'delete', kv: deleted, prevKv: prev };
  }
  if (prev === undefined || kv.createRevision === kv.modRevision) return { type: 'put', kv };
  return { type: 'put', kv, prevKv: prev };
}

export const COMPACTED_MESSAGE = 'required revision has been compacted';
export const FUTURE_MESSAGE = 'required revision is a future revision';

/** Maps an etcd3 client error that has no store-level meaning of its own. */
export function mapEtcdError(err: unknown, what: string): BerthError {
  if (err instanceof BerthError) return err;
  const message = errorMessage(err);
  const name = err instanceof Error ? err.constructor.name : '';
  if (/Unavailable|Cancelled|DeadlineExceeded|ClientClosed|BrokenCircuit|Internal|Unknown/.test(name) ||
      /ECONNREFUSED|UNAVAILABLE|No connection established|closed/i.test(message)) {
    return unavailable(`etcd ${what}: ${message}`, { cause: err });
  }
  if (/InvalidArgument|OutOfRange/.test(name)) return invalidArgument(`etcd ${what}: ${message}`, { cause: err });
  return internal(`etcd ${what}: ${message}`, { cause: err });
}
