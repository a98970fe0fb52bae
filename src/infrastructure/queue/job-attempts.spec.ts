import type { Job } from 'bullmq';
import { currentAttempt, isFinalAttempt, maxAttempts } from './job-attempts';

const job = (attemptsMade: number, attempts?: number) =>
  ({ attemptsMade, opts: attempts === undefined ? {} : { attempts } }) as Pick<Job, 'attemptsMade' | 'opts'>;

describe('isFinalAttempt', () => {
  it('is false until the last of the configured attempts runs', () => {
    expect(isFinalAttempt(job(0, 5))).toBe(false);
    expect(isFinalAttempt(job(3, 5))).toBe(false);
    expect(isFinalAttempt(job(4, 5))).toBe(true);
  });

  it('counts the running attempt from 1', () => {
    expect(currentAttempt(job(0, 5))).toBe(1);
    expect(currentAttempt(job(4, 5))).toBe(5);
    expect(maxAttempts(job(0, 3))).toBe(3);
  });

  it('treats a job without attempts as a single attempt', () => {
    expect(maxAttempts(job(0))).toBe(1);
    expect(isFinalAttempt(job(0))).toBe(true);
    expect(isFinalAttempt(job(0, 1))).toBe(true);
  });

  it('stays final when BullMQ has counted more attempts than configured', () => {
    expect(isFinalAttempt(job(7, 5))).toBe(true);
  });
});
