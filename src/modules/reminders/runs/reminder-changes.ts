import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { stockholmDate } from '../../../common/dates';
import { Clock } from '../../../infrastructure/clock/clock';
import { jobIdFor, JobName } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { AuditAction } from '../../audit/audit-action';
import { AuditListeners, type AuditEntry, type AuditListener } from '../../audit/audit-listeners';
import { ReminderSources } from '../sources/reminder-sources';
import { ReminderRunsService, type CheckRef } from './runs.service';

/**
 * Keeps reminders and the schedule current as records change: every audited change of a source's record type
 * (created, updated, paid, deleted, restored from the trash…) or of a related type (a car's event) checks the
 * records concerned at once, for today. When that fails the change still succeeds, and the same check is queued
 * as a job (retried) so the schedule repairs itself. An applied organization import queues a full run.
 */
@Injectable()
export class ReminderChanges implements AuditListener, OnModuleInit {
  private readonly logger = new Logger(ReminderChanges.name);

  constructor(
    private readonly listeners: AuditListeners,
    private readonly sources: ReminderSources,
    private readonly runs: ReminderRunsService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.listeners.register('reminders', this);
  }

  async onAudit(entry: AuditEntry): Promise<void> {
    const { organizationId, targetType, targetId } = entry;
    if (entry.action === AuditAction.OrganizationImportApplied && organizationId) {
      // An import writes its records in bulk, without an audit entry each: one full run checks them all (and
      // rebuilds the organization's schedule), once per import.
      const name = JobName.RemindersRun;
      const date = stockholmDate(this.clock.now());
      await this.jobs.add(
        name,
        { organizationId, date },
        { jobId: jobIdFor(name, `${organizationId}-${entry._id}`), attempts: 5 },
      );
      return;
    }
    if (!organizationId || !targetType || !targetId) return;
    const owners = this.sources
      .all()
      .filter((s) => s.sourceType === targetType || s.relatedTypes?.includes(targetType));
    if (!owners.length) return;
    const date = stockholmDate(this.clock.now());
    const refs: CheckRef[] = [];
    try {
      await this.context.runAsSystem({ organizationId }, async () => {
        for (const source of owners) {
          const ids =
            source.sourceType === targetType
              ? [targetId]
              : ((await source.sourceIdsOf?.(targetType, targetId)) ?? []);
          refs.push(...ids.map((sourceId) => ({ sourceType: source.sourceType, sourceId })));
        }
        if (refs.length) await this.runs.checkRecords(date, refs, true);
      });
    } catch (error) {
      this.logger.warn(
        { err: error, organizationId, targetType, targetId },
        'reminder check queued after a failure',
      );
      if (!refs.length) throw error;
      const name = JobName.RemindersRun;
      await this.jobs.add(
        name,
        { organizationId, date, checks: refs, changed: true },
        { jobId: jobIdFor(name, `${organizationId}-${entry._id}`), attempts: 5 },
      );
    }
  }
}
