import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { stockholmDate, TIME_ZONE } from '../../../common/dates';
import { Clock } from '../../../infrastructure/clock/clock';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { jobIdFor, JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import type { ScanPosition } from '../../../infrastructure/mongo/scan-position';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';
import { ReminderRunsService, type ReminderRun } from './runs.service';

/** 06:00 Stockholm time: reminders are ready before people look at their phones. */
export const REMINDERS_CRON = '0 6 * * *';
const SCAN_PAGE = 500;

/**
 * The daily reminder run, once per day however many workers fire: the scheduler enqueues one scan job whose id is
 * the Stockholm date; the scan enqueues one run per organization (id: organization and date), and each run works
 * inside its organization (JOB_SCOPE `organization`).
 */
@Injectable()
export class ReminderJobs {
  private readonly logger = new Logger(ReminderJobs.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly runs: ReminderRunsService,
    private readonly clock: Clock,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly organizations: OrganizationsDirectory,
  ) {}

  @Cron(REMINDERS_CRON, { name: 'reminders-daily', timeZone: TIME_ZONE })
  async onSchedule(): Promise<void> {
    try {
      await this.enqueueDaily(stockholmDate(this.clock.now()));
    } catch (error) {
      this.logger.error({ err: error }, 'Could not enqueue the daily reminder run');
    }
  }

  /** Enqueues the scan for a Stockholm date; a second call for the same date is a no-op. */
  async enqueueDaily(date: string): Promise<string> {
    const jobId = jobIdFor(JobName.RemindersDaily, date);
    await this.jobs.add(JobName.RemindersDaily, { date }, { jobId, attempts: 3 });
    return jobId;
  }

  @JobHandler(JobName.RemindersDaily)
  async scan(payload: JobPayloads[JobName.RemindersDaily]): Promise<{ organizations: number }> {
    let position: ScanPosition | null = null;
    let organizations = 0;
    for (;;) {
      const page = await this.organizations.page('createdAt', 1, position, SCAN_PAGE, {
        namePattern: null,
        ids: null,
      });
      for (const org of page) {
        const name = JobName.RemindersRun;
        await this.jobs.add(
          name,
          { organizationId: org._id, date: payload.date },
          { jobId: jobIdFor(name, `${org._id}-${payload.date}`), attempts: 3 },
        );
      }
      organizations += page.length;
      const last = page[page.length - 1];
      if (page.length < SCAN_PAGE || !last) break;
      position = { value: last.createdAt.toISOString(), id: last._id };
    }
    this.logger.log({ date: payload.date, organizations }, 'Reminder runs enqueued');
    return { organizations };
  }

  @JobHandler(JobName.RemindersRun)
  run(payload: JobPayloads[JobName.RemindersRun]): Promise<ReminderRun> {
    return this.runs.run(payload.date);
  }
}
