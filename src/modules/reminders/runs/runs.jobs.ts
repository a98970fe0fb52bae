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
import { ReminderScheduleService } from '../schedule/schedule.service';
import { ReminderRunsService, SCHEDULE_VERSION, type ReminderRun } from './runs.service';

/** 06:00 Stockholm time: reminders are ready before people look at their phones. */
export const REMINDERS_CRON = '0 6 * * *';
const SCAN_PAGE = 500;
/** More records due at once than this (a long outage): the organization's full run is cheaper than the list. */
const MAX_CHECKS_PER_JOB = 2_000;

export interface DailyScan {
  date: string;
  /** Schedule days read (more than one after a missed day). */
  days: number;
  organizations: number;
  /** Organizations run in full (schedule not built yet) and organizations with records due for a check. */
  full: number;
  checked: number;
  records: number;
}

/**
 * The daily reminder run, once per day however many workers fire: the scheduler enqueues one scan job whose id is
 * the Stockholm date; the scan enqueues one run per organization with records due (id: organization and date),
 * and each run works inside its organization (JOB_SCOPE `organization`).
 */
@Injectable()
export class ReminderJobs {
  private readonly logger = new Logger(ReminderJobs.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly runs: ReminderRunsService,
    private readonly schedule: ReminderScheduleService,
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

  /**
   * Reads the schedule for every day since the last scan (through `date`; only `date` the first time) and enqueues
   * one run per organization that has records due for a check, with those records. An organization whose schedule
   * is not built (new, or the rules' version changed) gets a full run instead. Idle organizations cost nothing.
   */
  @JobHandler(JobName.RemindersDaily)
  async scan(payload: JobPayloads[JobName.RemindersDaily]): Promise<DailyScan> {
    const { date } = payload;
    const { days, due, built } = await this.schedule.dueThrough(date, SCHEDULE_VERSION);
    const scan: DailyScan = { date, days: days.length, organizations: 0, full: 0, checked: 0, records: 0 };
    let position: ScanPosition | null = null;
    for (;;) {
      const page = await this.organizations.page('createdAt', 1, position, SCAN_PAGE, {
        namePattern: null,
        ids: null,
      });
      for (const org of page) {
        const refs = due.get(org._id);
        const full = !built.has(org._id) || (refs?.length ?? 0) > MAX_CHECKS_PER_JOB;
        if (!full && !refs) continue;
        const name = JobName.RemindersRun;
        await this.jobs.add(
          name,
          full ? { organizationId: org._id, date } : { organizationId: org._id, date, checks: refs },
          { jobId: jobIdFor(name, `${org._id}-${date}`), attempts: 3 },
        );
        if (full) scan.full += 1;
        else {
          scan.checked += 1;
          scan.records += refs?.length ?? 0;
        }
      }
      scan.organizations += page.length;
      const tail = page[page.length - 1];
      if (page.length < SCAN_PAGE || !tail) break;
      position = { value: tail.createdAt.toISOString(), id: tail._id };
    }
    await this.schedule.scanned(date, days);
    this.logger.log(scan, 'Reminder runs enqueued');
    return scan;
  }

  /** One organization: the records in `checks` when given, else all of them (which builds its schedule). */
  @JobHandler(JobName.RemindersRun)
  run(payload: JobPayloads[JobName.RemindersRun]): Promise<ReminderRun> {
    return payload.checks
      ? this.runs.checkRecords(payload.date, payload.checks, payload.changed ?? false)
      : this.runs.run(payload.date);
  }
}
