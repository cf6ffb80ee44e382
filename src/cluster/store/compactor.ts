/**
 * Periodic compaction: keep the last keepRevisions revisions of history
 * (kine keeps 1000) and compact every intervalMs (Kubernetes: 5 minutes).
 * Watchers older than that get Expired and re-list, as with a real cluster.
 */
import { errorMessage, logger } from '../../core/index.js';
import type { Store } from './types.js';

const log = logger('store.compactor');

export interface CompactorOptions {
  /** Default 300000 (5 minutes). */
  intervalMs?: number;
  /** Revisions of history to keep; default 1000. */
  keepRevisions?: number;
  /** Stops the compactor. */
  signal: AbortSignal;
}

export interface Compactor {
  /** Compacts now; resolves to the revision compacted to, or undefined if there was nothing to do. */
  runOnce(): Promise<number | undefined>;
  /** Resolves once the signal aborted and any running pass finished. */
  readonly done: Promise<void>;
}

export function startCompactor(store: Store, options: CompactorOptions): Compactor {
  const intervalMs = options.intervalMs ?? 300_000;
  const keep = options.keepRevisions ?? 1000;
  let running: Promise<number | undefined> = Promise.resolve(undefined);

  const runOnce = (): Promise<number | undefined> => {
    running = running.catch(() => undefined).then(async () => {
      const [current, compacted] = await Promise.all([store.currentRevision(), store.compactedRevision()]);
      const target = current - keep;
      if (target <= compacted || target <= 0) return undefined;
      await store.compact(target);
      log.debug('compacted', { revision: target, current });
      return target;
    });
    return running;
  };

  const done = new Promise<void>((resolve) => {
    const finish = (): void => {
      clearInterval(timer);
      void running.catch(() => undefined).then(() => resolve());
    };
    const timer = setInterval(() => {
      runOnce().catch((err: unknown) => log.warn('compaction failed', { error: errorMessage(err) }));
    }, intervalMs);
    timer.unref(); // never the reason the process stays up
    if (options.signal.aborted) finish();
    else options.signal.addEventListener('abort', finish, { once: true });
  });

  return { runOnce, done };
}
