import { getQueueToken, BullModule, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { DynamicModule, Global, Inject, Injectable, Logger, Module, type Type } from '@nestjs/common';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import { DelayedError, type Job, type JobsOptions, type Queue } from 'bullmq';
import { RequestContext } from '../../common/context/request-context';
import { APP_CONFIG, hasWorker, type AppConfig, type AppRole } from '../../config/app-config';
import { dependencyUnavailable } from '../../common/errors/dependency-errors';
import { withTimeout } from '../health/readiness';
import { redisConnectionFromUrl, REDIS_COMMAND_TIMEOUT_MS, redisRetryStrategy } from '../redis/redis.module';
import { DatabaseWatchdog, WATCHDOG_INTERVAL_MS } from './database-watchdog';
import { JobRegistry } from './job-registry';
import { JOB_QUEUE, QueueName, type JobMeta, type JobName, type JobPayloads } from './queue.constants';

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { count: 1_000, age: 24 * 3600 },
  removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
};

/** Typed producer: `jobs.add(JobName.SendMail, payload)` picks the right queue. */
@Injectable()
export class JobQueue {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly context: RequestContext,
  ) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /**
   * Enqueues or fails fast: BullMQ's own connection waits for Redis forever, so while Redis is not connected this
   * throws at once (nothing is queued for later), and a Redis that does not answer is given up on after the command
   * timeout — both answered as 503 by the global filter. The payload gets the current request id (JobMeta).
   */
  async add<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<void> {
    const queue = this.queue(JOB_QUEUE[name]);
    const requestId = this.context.requestId;
    const data: JobPayloads[N] & JobMeta = requestId ? { ...payload, requestId } : payload;
    const enqueue = async () => {
      if ((await queue.client).status !== 'ready') throw dependencyUnavailable('redis');
      await queue.add(name, data, options);
    };
    await withTimeout(enqueue(), REDIS_COMMAND_TIMEOUT_MS, () => dependencyUnavailable('redis'));
  }
}

/**
 * Worker options of every queue. A worker killed mid-job (SIGKILL, OOM) leaves the job active with a lock that is no
 * longer renewed; once the lock expires, the next stalled check of any worker puts the job back to wait and it runs
 * again from the start — so every handler must be safe to run twice (see README, "Delivery guarantees").
 */
function workerOptions(timings: AppConfig['queue']) {
  return {
    concurrency: 4,
    lockDuration: timings.lockDurationMs,
    stalledInterval: timings.stalledIntervalMs,
    maxStalledCount: timings.maxStalledCount,
  };
}

function processorFor(queue: QueueName, timings: AppConfig['queue']): Type<WorkerHost> {
  @Processor(queue, workerOptions(timings))
  class QueueProcessor extends WorkerHost {
    constructor(
      @Inject(JobRegistry) private readonly registry: JobRegistry,
      @Inject(DatabaseWatchdog) private readonly watchdog: DatabaseWatchdog,
    ) {
      super();
    }
    async process(job: Job, token?: string): Promise<unknown> {
      // A job taken just as the watchdog paused the worker (its blocking wait was already under way) goes back,
      // delayed, without using up an attempt.
      if (this.watchdog.workers === 'paused' && token) {
        await job.moveToDelayed(Date.now() + WATCHDOG_INTERVAL_MS, token);
        throw new DelayedError();
      }
      return this.registry.dispatch(job);
    }
    /** Without a listener BullMQ prints these to stderr (e.g. a job whose keys a Redis restart without data lost). */
    @OnWorkerEvent('error')
    onError(error: Error): void {
      new Logger(`${queue}Worker`).error({ err: error }, `Queue worker error: ${error.message}`);
    }
  }
  Object.defineProperty(QueueProcessor, 'name', { value: `${queue}QueueProcessor` });
  return QueueProcessor;
}

/**
 * BullMQ through @nestjs/bullmq. Queues (producers) exist in every role; processors only where the role includes
 * the worker. @nestjs/bullmq closes workers on shutdown, letting active jobs finish.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(role: AppRole, timings: AppConfig['queue']): DynamicModule {
    const queues = Object.values(QueueName);
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            // BullMQ's own reconnect backs off to one attempt per 20 s; ours to one a second (as the shared client),
            // so producers and workers are back within about a second of Redis.
            connection: {
              ...redisConnectionFromUrl(config.redis.url),
              maxRetriesPerRequest: null,
              retryStrategy: redisRetryStrategy,
            },
            prefix: `${config.redis.prefix}:bull`,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        ...queues.map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [
        JobRegistry,
        JobQueue,
        ...(hasWorker(role)
          ? [DatabaseWatchdog, ...queues.map((queue) => processorFor(queue, timings))]
          : []),
      ],
      exports: [JobQueue, BullModule, ...(hasWorker(role) ? [DatabaseWatchdog] : [])],
    };
  }
}
