import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../../infrastructure/clock/clock';
import { jobIdFor, JobName } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { AuditListeners, type AuditEntry, type AuditListener } from '../../audit/audit-listeners';

/** Writes after which the detection runs again: new or changed transactions, paid bills, contract ends. */
export const SCANNING_ACTIONS: ReadonlySet<string> = new Set([
  'transaction.created',
  'transaction.bulk_created',
  'transaction.updated',
  'bank.line_approved',
  'bank.line_auto_booked',
  'bank.import_completed',
  'bill.paid',
  'bill.updated',
  'contract.cancelled',
  'contract.updated',
  'contract.price_changed',
  'organization.import_applied',
]);

/** Writes within one window share one scan, which runs when the window has closed. */
export const SCAN_WINDOW_MS = 10_000;

/**
 * Detection after writes (docs/modules.md §9): an audit listener (not required: a failure is logged, the next write
 * scans again) that enqueues one scan per organization and 10-second window, delayed until the window has closed,
 * so a bank import of 500 lines costs one scan, not 500, and a write late in a window is still seen.
 */
@Injectable()
export class AnomaliesFeed implements OnModuleInit, AuditListener {
  constructor(
    private readonly audit: AuditListeners,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.audit.register('ai-anomalies', this);
  }

  async onAudit(entry: AuditEntry): Promise<void> {
    if (!SCANNING_ACTIONS.has(entry.action) || !entry.organizationId) return;
    const now = this.clock.now().getTime();
    const window = Math.floor(now / SCAN_WINDOW_MS);
    const name = JobName.AiAnomaliesScan;
    await this.jobs.add(
      name,
      { organizationId: entry.organizationId, window: String(window) },
      {
        jobId: jobIdFor(name, `${entry.organizationId}-${window}`),
        delay: (window + 1) * SCAN_WINDOW_MS - now + 1_000,
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
      },
    );
  }
}
