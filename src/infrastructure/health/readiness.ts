/**
 * How long a readiness ping (database, Redis) may take before the dependency counts as down. One setting for
 * `/health/ready` and for the worker's database watchdog, so both call the same database "stuck".
 */
export const READINESS_TIMEOUT_MS = 2_000;

/** `work`'s result, or `onTimeout()` thrown when it takes longer than `timeoutMs` (the work is not cancelled). */
export async function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `check` resolves within `timeoutMs`; false when it rejects or takes longer. */
export async function answersWithin(
  check: () => Promise<unknown>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<boolean> {
  try {
    await withTimeout(check(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
    return true;
  } catch {
    return false;
  }
}
