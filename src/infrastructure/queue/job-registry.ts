import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UnrecoverableError, type Job } from 'bullmq';
import { RequestContext } from '../../common/context/request-context';
import { JOB_HANDLER } from './job-handler.decorator';
import { JOB_SCOPE, JobName, type JobMeta } from './queue.constants';

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
    return this.context.runAsSystem({ organizationId, requestId }, () => handler(payload, job));
  }
}
