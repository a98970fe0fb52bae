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
      await this.redis.hset(JOB_RUNS_KEY, job, JSON.stringify(run));
    } catch (error) {
      this.logger.debug({ err: error, job }, 'Could not record the job run');
    }
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
