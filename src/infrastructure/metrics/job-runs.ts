import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';

/** The last run of one job name, as `/admin/system` shows it. */
export interface JobRun {
  at: string;
  outcome: 'completed' | 'failed';
  durationMs: number;
  /** The error of a failed run, cut to 300 characters. */
  error?: string;
}

/** One Redis hash, field = job name: the last run of each job across every worker. */
export const JOB_RUNS_KEY = 'system:job-runs';

/** Hash, field = job name: when it last completed. */
export const JOB_LAST_OK_KEY = 'system:job-last-completed';
/** Failures are counted over this window (`/admin/system`: mail failures in 24 h). */
export const FAILURE_WINDOW_MS = 24 * 3600 * 1000;
const failuresKey = (job: string) => `system:job-failures:${job}`;

/**
 * The last run and result of every job name (JobRegistry.dispatch records each run). Shared by all workers through
 * Redis, so `/admin/system` on any API process sees the last run wherever it happened. Best effort: a Redis that
 * does not answer loses the record, never the job.
 */
@Injectable()
export class JobRuns {
  private readonly logger = new Logger(JobRuns.name);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async record(job: string, run: JobRun): Promise<void> {
    try {
      const at = Date.parse(run.at);
      const tx = this.redis.multi().hset(JOB_RUNS_KEY, job, JSON.stringify(run));
      if (run.outcome === 'completed') tx.hset(JOB_LAST_OK_KEY, job, run.at);
      else
        tx.zadd(failuresKey(job), at, `${run.at}#${Math.random().toString(36).slice(2, 8)}`)
          .zremrangebyscore(failuresKey(job), 0, at - FAILURE_WINDOW_MS)
          .pexpire(failuresKey(job), FAILURE_WINDOW_MS);
      await tx.exec();
    } catch (error) {
      this.logger.debug({ err: error, job }, 'Could not record the job run');
    }
  }

  /** When each job last completed (ISO), by job name. */
  async lastCompleted(): Promise<Record<string, string>> {
    return this.redis.hgetall(JOB_LAST_OK_KEY);
  }

  /** Failed runs of `job` in the last 24 hours (`now` in ms). */
  async failuresInWindow(job: string, now: number): Promise<number> {
    return this.redis.zcount(failuresKey(job), now - FAILURE_WINDOW_MS, '+inf');
  }

  async all(): Promise<Record<string, JobRun>> {
    const raw = await this.redis.hgetall(JOB_RUNS_KEY);
    const runs: Record<string, JobRun> = {};
    for (const [job, value] of Object.entries(raw)) {
      try {
        runs[job] = JSON.parse(value) as JobRun;
      } catch {
        // a foreign value under our key: ignored
      }
    }
    return runs;
  }
}
