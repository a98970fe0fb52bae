/**
 * A counting semaphore with weighted, first-come-first-served permits: `run(n, fn)` waits until `n` permits are
 * free (and every earlier waiter was served), runs `fn`, then gives them back. A request larger than the capacity
 * is clamped to it, so it runs alone rather than never.
 */
export class Permits {
  private inUse = 0;
  private readonly waiting: { n: number; grant: () => void }[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.capacity;
  }

  /** Permits currently held (for tests and metrics). */
  get held(): number {
    return this.inUse;
  }

  async run<R>(n: number, fn: () => Promise<R>): Promise<R> {
    const want = Math.min(Math.max(1, n), this.capacity);
    if (this.waiting.length === 0 && this.inUse + want <= this.capacity) {
      this.inUse += want;
    } else {
      await new Promise<void>((grant) => this.waiting.push({ n: want, grant }));
    }
    try {
      return await fn();
    } finally {
      this.inUse -= want;
      this.serve();
    }
  }

  private serve(): void {
    while (this.waiting.length) {
      const next = this.waiting[0];
      if (this.inUse + next.n > this.capacity) return;
      this.waiting.shift();
      this.inUse += next.n;
      next.grant();
    }
  }
}
