import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UnrecoverableError, type Job } from 'bullmq';
import { RequestContext } from '../../common/context/request-context';
import { JobRuns } from '../metrics/job-runs';
import { Metrics } from '../metrics/metrics';
import { JOB_HANDLER } from './job-handler.decorator';
import { JOB_QUEUE, JOB_SCOPE, JobName, type JobMeta } from './queue.constants';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

/** Finds every @JobHandler at boot; refuses to boot on a missing or duplicate handler; dispatches jobs. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly context: RequestContext,
    // Optional: unit tests build the registry without them.
    @Optional() private readonly metrics?: Metrics,
    @Optional() private readonly runs?: JobRuns,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, fn as () => unknown);
        if (!name) continue;
        if (this.handlers.has(name)) throw new Error(`Two handlers for job ${name}`);
        this.handlers.set(name, (payload, job) => (fn as Handler).call(instance, payload, job));
      }
    }
    const missing = Object.values(JobName).filter((name) => !this.handlers.has(name));
    if (missing.length) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
  }

  /**
   * Runs the handler in a fresh context, the one place a job's context is set: the system actor; the payload's
   * `organizationId` as the tenant for jobs scoped to an organization (JOB_SCOPE), no tenant for the others; the
   * request id of whatever queued the job (JobMeta), else `job:<id>`. Handlers never restore a context themselves.
   */
  async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    const payload = job.data as JobMeta & { organizationId?: unknown };
    let organizationId: string | undefined;
    if (JOB_SCOPE[job.name as JobName] === 'organization') {
      if (typeof payload.organizationId !== 'string' || payload.organizationId === '')
        throw new UnrecoverableError(`Job ${job.name} has no organizationId in its payload`);
      organizationId = payload.organizationId;
    }
    const requestId =
      typeof payload.requestId === 'string' && payload.requestId !== '' ? payload.requestId : `job:${job.id}`;
    return this.timed(job.name, () =>
      this.context.runAsSystem({ organizationId, requestId }, () => handler(payload, job)),
    );
  }

  /** Duration and outcome of every run: Prometheus (`westwallet_job_*`) and the last run per job (JobRuns). */
  private async timed<R>(name: string, run: () => Promise<R>): Promise<R> {
    const started = performance.now();
    const finish = async (outcome: 'completed' | 'failed', error?: unknown) => {
      const durationMs = performance.now() - started;
      this.metrics?.job(JOB_QUEUE[name as JobName] ?? 'unknown', name, outcome, durationMs / 1000);
      const message =
        error instanceof Error ? error.message : error === undefined ? undefined : 'not an Error';
      await this.runs?.record(name, {
        at: new Date().toISOString(),
        outcome,
        durationMs: Math.round(durationMs),
        ...(message ? { error: message.slice(0, 300) } : {}),
      });
    };
    try {
      const result = await run();
      await finish('completed');
      return result;
    } catch (error) {
      // A job moved back to delayed (DelayedError) did not fail; it is not counted.
      if ((error as Error | null)?.name !== 'DelayedError') await finish('failed', error);
      throw error;
    }
  }
}
