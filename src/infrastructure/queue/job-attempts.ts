import type { Job } from 'bullmq';

type Attempts = Pick<Job, 'attemptsMade' | 'opts'>;

/**
 * The attempt now running, from 1. While a job runs, BullMQ's `attemptsMade` counts its earlier failed attempts (a
 * run lost to a stalled worker is not one of them).
 */
export const currentAttempt = (job: Attempts): number => job.attemptsMade + 1;

/** How many attempts the job has in all (`attempts` of its options; the queue's default is in queue.module.ts). */
export const maxAttempts = (job: Attempts): number => job.opts.attempts ?? 1;

/**
 * True when a failure of the running attempt is the job's last: BullMQ will not retry it, so a handler that records
 * a final failure (an import marked `failed`, an upload marked failed) does it now. The one rule for every handler.
 */
export function isFinalAttempt(job: Attempts): boolean {
  return currentAttempt(job) >= maxAttempts(job);
}
