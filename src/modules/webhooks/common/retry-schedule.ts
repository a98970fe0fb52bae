/**
 * When a failed delivery is tried again (docs/webhooks.md#retries). Attempt 1 goes out at once; after attempt n fails,
 * attempt n + 1 waits `RETRY_DELAYS_MS[n]`, stretched by up to +20 % jitter so endpoints that failed together do not
 * get their retries together. A `Retry-After` answer is honoured: the next attempt never goes out before it (capped
 * at `MAX_RETRY_AFTER_MS`). After the eighth attempt the delivery has failed.
 */
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const RETRY_DELAYS_MS = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;
export const JITTER = 0.2;
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or
 * unreadable, 0 for a date in the past. Capped at `MAX_RETRY_AFTER_MS`.
 */
export function parseRetryAfter(value: string | undefined | null, now: Date): number | null {
  if (!value) return null;
  const text = value.trim();
  let ms: number | null = null;
  if (/^\d+$/.test(text)) ms = Number(text) * SECOND;
  else {
    const at = Date.parse(text);
    if (!Number.isNaN(at) && /[a-z]/i.test(text)) ms = Math.max(0, at - now.getTime());
  }
  return ms === null || !Number.isFinite(ms) ? null : Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * When attempt `attemptsMade + 1` goes out after attempt `attemptsMade` failed at `now`; null when no attempt is
 * left. `random` is in [0, 1) (Math.random in production, seeded in tests).
 */
export function nextAttemptAt(
  attemptsMade: number,
  now: Date,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): Date | null {
  if (attemptsMade >= MAX_ATTEMPTS) return null;
  const base = RETRY_DELAYS_MS[attemptsMade];
  const delay = Math.round(base * (1 + JITTER * random()));
  return new Date(now.getTime() + Math.max(delay, retryAfterMs ?? 0));
}
