/** Timing and statistics for the benches (no app code: pure-CPU benches import this file, not the harness). */
export { percentile } from '../../test/helpers/household';

/** The middle value; of an even count the upper of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The median with the mean of the two middle values for an even count. */
export function medianMean(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** `time` of a synchronous function. */
export function timeSync<T>(fn: () => T): { ms: number; value: T } {
  const started = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** Alternates the two contenders `runs` times after one warm-up each; the medians and the last values. */
export async function compare<A, B>(
  a: () => Promise<A>,
  b: () => Promise<B>,
  runs: number,
): Promise<{ a: number; b: number; av: A; bv: B }> {
  let av: A = await a();
  let bv: B = await b();
  const at: number[] = [];
  const bt: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = await time(a);
    const y = await time(b);
    at.push(x.ms);
    bt.push(y.ms);
    av = x.value;
    bv = y.value;
  }
  return { a: median(at), b: median(bt), av, bv };
}

/** Peak RSS and heap while `fn` runs (sampled every 10 ms, plus before and after). */
export async function withPeak<T>(fn: () => Promise<T>): Promise<{ value: T; rss: number; heap: number }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 10);
  try {
    const value = await fn();
    sample();
    return { value, rss, heap };
  } finally {
    clearInterval(timer);
  }
}
