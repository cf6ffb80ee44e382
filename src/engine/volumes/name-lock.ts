/** Serialises operations on one volume name; different names run in parallel. */
export class NameLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(name, tail);
    try {
      return await next;
    } finally {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}
