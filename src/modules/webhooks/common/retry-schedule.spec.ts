import { MAX_ATTEMPTS, nextAttemptAt, parseRetryAfter, RETRY_DELAYS_MS } from './retry-schedule';

const now = new Date('2026-12-02T12:00:00Z');
const after = (attemptsMade: number, random: number, retryAfter: number | null = null) =>
  nextAttemptAt(attemptsMade, now, retryAfter, () => random)!.getTime() - now.getTime();

describe('webhook retry schedule', () => {
  it('follows 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h and then gives up', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => after(n, 0))).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(after(0, 0.99)).toBe(0);
    expect(nextAttemptAt(8, now, null)).toBeNull();
  });

  it('adds up to 20 % jitter', () => {
    expect(after(2, 0.5)).toBe(330_000);
    expect(after(2, 0.999)).toBeLessThan(RETRY_DELAYS_MS[2] * 1.2);
  });

  it('never goes out before Retry-After, but keeps a longer scheduled wait', () => {
    expect(after(1, 0, 60_000)).toBe(60_000);
    expect(after(3, 0, 60_000)).toBe(1_800_000);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at a day', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 12:10:00 GMT', now)).toBe(600_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('9999999', now)).toBe(86_400_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
