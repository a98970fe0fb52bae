import { Injectable, OnModuleInit } from '@nestjs/common';
import { jobIdFor, JobName } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { AuditListeners, type AuditListener } from '../../audit/audit-listeners';
import { ReminderListeners } from '../../reminders/runs/reminder-listeners';
import type { DueReminder, ReminderListener } from '../../reminders/reminders.contract';
import { DeliveryService, NOTIFYING_ACTIONS } from './delivery.service';

type AuditEntry = Parameters<AuditListener['onAudit']>[0];

/**
 * What feeds notifications: the reminder engine (in the run's tenant context, right after it stored the day's
 * reminders) and audited changes (bank imports, billing transitions). An audited change only enqueues a job keyed by
 * the audit entry, so the change's request pays one Redis write and the fan-out runs on a worker, once.
 */
@Injectable()
export class NotificationFeeds implements OnModuleInit, ReminderListener, AuditListener {
  constructor(
    private readonly delivery: DeliveryService,
    private readonly jobs: JobQueue,
    private readonly reminders: ReminderListeners,
    private readonly audit: AuditListeners,
  ) {}

  onModuleInit(): void {
    this.reminders.register('notifications', this);
    this.audit.register('notifications', this);
  }

  async onRemindersDue(organizationId: string, reminders: DueReminder[]): Promise<void> {
    await this.delivery.remindersDue(organizationId, reminders);
  }

  async onAudit(entry: AuditEntry): Promise<void> {
    if (!NOTIFYING_ACTIONS.has(entry.action) || !entry.organizationId) return;
    const name = JobName.NotificationsEvent;
    await this.jobs.add(
      name,
      {
        organizationId: entry.organizationId,
        auditId: entry._id,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        actorId: entry.actorId,
        metadata: { ...(entry.metadata ?? {}), after: entry.changes?.after ?? null },
      },
      { jobId: jobIdFor(name, entry._id), attempts: 3 },
    );
  }
}
