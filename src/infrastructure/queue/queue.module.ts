import { getQueueToken, BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import { DynamicModule, Global, Inject, Injectable, Module, type Type } from '@nestjs/common';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, hasWorker, type AppConfig, type AppRole } from '../../config/app-config';
import { redisConnectionFromUrl } from '../redis/redis.module';
import { JobRegistry } from './job-registry';
import { JOB_QUEUE, QueueName, type JobName, type JobPayloads } from './queue.constants';

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { count: 1_000, age: 24 * 3600 },
  removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
};

/** Typed producer: `jobs.add(JobName.SendMail, payload)` picks the right queue. */
@Injectable()
export class JobQueue {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<void> {
    await this.queue(JOB_QUEUE[name]).add(name, payload, options);
  }
}

function processorFor(queue: QueueName): Type<WorkerHost> {
  @Processor(queue, { concurrency: 4 })
  class QueueProcessor extends WorkerHost {
    constructor(@Inject(JobRegistry) private readonly registry: JobRegistry) {
      super();
    }
    process(job: Job): Promise<unknown> {
      return this.registry.dispatch(job);
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
  static forRoot(role: AppRole): DynamicModule {
    const queues = Object.values(QueueName);
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: { ...redisConnectionFromUrl(config.redis.url), maxRetriesPerRequest: null },
            prefix: `${config.redis.prefix}:bull`,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        ...queues.map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [JobRegistry, JobQueue, ...(hasWorker(role) ? queues.map(processorFor) : [])],
      exports: [JobQueue, BullModule],
    };
  }
}
