export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface WaitResult {
  StatusCode: number;
  Error: { Message: string } | null;
}

interface Waiter {
  condition: WaitCondition;
  resolve(result: WaitResult): void;
}

/** Pending `POST /containers/{id}/wait` calls, woken on exit or removal. */
export class Waiters {
  private readonly byId = new Map<string, Set<Waiter>>();

  add(id: string, condition: WaitCondition): { promise: Promise<WaitResult>; cancel(): void } {
    let waiter!: Waiter;
    const promise = new Promise<WaitResult>((resolve) => {
      waiter = { condition, resolve };
    });
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(waiter);
    return { promise, cancel: () => this.byId.get(id)?.delete(waiter) };
  }

  /** The container exited: wake not-running and next-exit waiters. */
  exited(id: string, exitCode: number): void {
    this.wake(id, (w) => w.condition !== 'removed', { StatusCode: exitCode, Error: null });
  }

  /** The container is gone: wake everyone. */
  removed(id: string, exitCode: number): void {
    this.wake(id, () => true, { StatusCode: exitCode, Error: null });
  }

  private wake(id: string, pick: (w: Waiter) => boolean, result: WaitResult): void {
    const set = this.byId.get(id);
    if (!set) return;
    for (const w of [...set]) {
      if (!pick(w)) continue;
      set.delete(w);
      w.resolve(result);
    }
    if (set.size === 0) this.byId.delete(id);
  }
}
