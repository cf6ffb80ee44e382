/**
 * A minimal informer for the server's own controllers: list, then watch
 * from the list's revision, relisting after errors (e.g. 410 Expired). Each
 * event hands the object to a level-triggered callback; failures and
 * explicit requeues retry after a delay.
 */
import { errorMessage, logger } from '../../../core/index.js';
import type { Store } from '../../store/types.js';
import { watchObjects } from '../storage/index.js';
import type { KubeObject } from '../types.js';

export interface WatchLoopOptions {
  name: string;
  store: Store;
  prefix: string;
  signal: AbortSignal;
  /** Called for every add/update (deleted=false) and delete (deleted=true); return a delay in ms to be called again. */
  handle(obj: KubeObject, deleted: boolean): Promise<number | void>;
  /** Resolved after the first list has been handled. */
  onSynced?: () => void;
}

export async function runWatchLoop(o: WatchLoopOptions): Promise<void> {
  const log = logger(`apiserver.${o.name}`);
  const timers = new Set<NodeJS.Timeout>();
  const pending = new Map<string, KubeObject>();
  let synced = false;
  const key = (obj: KubeObject) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
  const run = async (obj: KubeObject, deleted: boolean): Promise<void> => {
    try {
      const again = await o.handle(obj, deleted);
      if (typeof again === 'number' && !o.signal.aborted) schedule(obj, again);
    } catch (err) {
      if (o.signal.aborted) return;
      log.debug('retrying', { object: key(obj), error: errorMessage(err) });
      schedule(obj, 500);
    }
  };
  const schedule = (obj: KubeObject, delay: number) => {
    pending.set(key(obj), obj);
    const t = setTimeout(() => {
      timers.delete(t);
      const latest = pending.get(key(obj));
      pending.delete(key(obj));
      if (latest !== undefined && !o.signal.aborted) void run(latest, false);
    }, delay);
    timers.add(t);
  };
  o.signal.addEventListener('abort', () => { for (const t of timers) clearTimeout(t); }, { once: true });
  while (!o.signal.aborted) {
    try {
      let initial = true;
      for await (const ev of watchObjects(o.store, { prefix: o.prefix, allowBookmarks: true, signal: o.signal, sendInitialEvents: true })) {
        if (ev.type === 'BOOKMARK') {
          if (ev.initialEventsEnd && initial) {
            initial = false;
            if (!synced) { synced = true; o.onSynced?.(); }
          }
          continue;
        }
        if (ev.type === 'DELETED') pending.delete(key(ev.object));
        await run(ev.object, ev.type === 'DELETED');
      }
    } catch (err) {
      if (o.signal.aborted) return;
      log.warn('watch ended, relisting', { error: errorMessage(err) });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
