import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../../../infrastructure/clock/clock';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { JobName, jobIdFor, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { stockholmDate, TIME_ZONE } from '../../../common/dates';
import { BillingTransitionsService, type TransitionsRun } from './transitions.service';

/** 03:15 Stockholm time: after midnight, when the day's boundaries (periodEnd, graceUntil, trialEnd) are reached. */
export const DAILY_CRON = '15 3 * * *';

/**
 * The daily billing run. Every worker's scheduler fires at 03:15 Europe/Stockholm and enqueues one BullMQ job whose
 * id is the Stockholm date (`jobIdFor`): BullMQ keeps the first and ignores the others, so the run happens once a
 * day however many workers there are. The job runs the transitions for all accounts (BillingTransitionsService).
 * ScheduleModule is imported only where the role includes the worker, so API-only replicas never fire.
 */
@Injectable()
export class BillingJobs {
  private readonly logger = new Logger(BillingJobs.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly transitions: BillingTransitionsService,
    private readonly clock: Clock,
  ) {}

  @Cron(DAILY_CRON, { name: 'billing-daily-transitions', timeZone: TIME_ZONE })
  async onSchedule(): Promise<void> {
    try {
      await this.enqueueDaily(stockholmDate(this.clock.now()));
    } catch (error) {
      this.logger.error({ err: error }, 'Could not enqueue the daily billing run');
    }
  }

  /** Enqueues the run for a Stockholm date; a second call for the same date is a no-op. Returns the job id. */
  async enqueueDaily(date: string): Promise<string> {
    const jobId = jobIdFor(JobName.BillingDailyTransitions, date);
    await this.jobs.add(JobName.BillingDailyTransitions, { date }, { jobId, attempts: 3 });
    return jobId;
  }

  @JobHandler(JobName.BillingDailyTransitions)
  async runDaily(
    payload: JobPayloads[JobName.BillingDailyTransitions],
  ): Promise<Pick<TransitionsRun, 'date' | 'evaluated'> & { changed: number }> {
    const run = await this.transitions.runAll('daily', null, payload.date);
    this.logger.log(
      { date: run.date, evaluated: run.evaluated, changed: run.changes.length },
      'Daily billing run done',
    );
    return { date: run.date, evaluated: run.evaluated, changed: run.changes.length };
  }
}
