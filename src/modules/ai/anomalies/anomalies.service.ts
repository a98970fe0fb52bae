import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { addDays, periodOf, stockholmDate } from '../../../common/dates';
import { notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { InsightsDataService } from '../forecast/insights-data.service';
import {
  ANOMALY_SEVERITIES,
  detectAnomalies,
  severityRank,
  type AnomalyKind,
  type AnomalySeverity,
  type Bilingual,
} from './anomalies.detect';
import { AnomaliesRepository, type AnomalyListFilter } from './anomalies.repository';
import type { AiAnomalyDoc, AnomalyStatus } from './anomalies.schema';

/** The record type of an anomaly (404 `details.type`, audit `targetType`). Stored: never rename. */
export const ANOMALY_RECORD_TYPE = 'ai_anomaly';
/** History a scan reads: about 14 months (a year of "usual", the same month last year, and a little more). */
export const SCAN_HISTORY_DAYS = 430;
/** A scan reports anomalies dated in the last 62 days (older ones were reported by earlier scans). */
export const SCAN_RECENT_DAYS = 62;

export interface AnomalyView {
  id: string;
  kind: AnomalyKind;
  severity: AnomalySeverity;
  status: AnomalyStatus;
  date: string;
  period: string;
  amount: number;
  expected: number | null;
  reason: Bilingual;
  records: {
    transactionIds: string[];
    supplierId: string | null;
    categoryId: string | null;
    contractId: string | null;
    billId: string | null;
  };
  resolvedBy: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
}

export interface AnomalyQuery {
  kind?: AnomalyKind;
  /** The lowest severity shown (default: all). */
  severity?: AnomalySeverity;
  status?: AnomalyStatus;
  from?: string;
  to?: string;
}

const view = (a: AiAnomalyDoc): AnomalyView => ({
  id: a._id,
  kind: a.kind,
  severity: a.severity,
  status: a.status,
  date: a.date,
  period: a.period,
  amount: a.amount,
  expected: a.expected,
  reason: { sv: a.reasonSv, en: a.reasonEn },
  records: {
    transactionIds: a.transactionIds,
    supplierId: a.supplierId,
    categoryId: a.categoryId,
    contractId: a.contractId,
    billId: a.billId,
  },
  resolvedBy: a.resolvedBy,
  resolvedAt: a.resolvedAt,
  createdAt: a.createdAt,
});

/**
 * Anomalies (docs/ai.md, "Anomalies"): runs the pure detection (`anomalies.detect.ts`) over the organization's
 * history, stores what is new once per key, audits each (`ai.anomaly_detected`, which the notifications module
 * turns into an `anomaly` notification), and takes people's feedback: dismiss, or "this is normal" (the same
 * pattern for that merchant or category is not flagged again up to 1.25 × this amount).
 */
@Injectable()
export class AnomaliesService {
  constructor(
    private readonly anomalies: AnomaliesRepository,
    private readonly data: InsightsDataService,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly context: RequestContext,
  ) {}

  async list(query: AnomalyQuery, page: { cursor?: string; limit: number }): Promise<Page<AnomalyView>> {
    const filter: AnomalyListFilter = {
      kind: query.kind,
      status: query.status,
      severities: query.severity
        ? ANOMALY_SEVERITIES.filter((s) => severityRank(s) >= severityRank(query.severity!))
        : undefined,
      periodFrom: query.from,
      periodTo: query.to,
    };
    const result = await this.anomalies.list(filter, page);
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<AnomalyView> {
    const a = await this.anomalies.findById(id);
    if (!a) throw notFound(ANOMALY_RECORD_TYPE);
    return view(a);
  }

  /** Dismiss (`dismissed`) or "this is normal" (`normal`); the same answer again changes nothing. */
  async resolve(id: string, status: Exclude<AnomalyStatus, 'open'>): Promise<AnomalyView> {
    const current = await this.anomalies.findById(id);
    if (!current) throw notFound(ANOMALY_RECORD_TYPE);
    if (current.status === status) return view(current);
    const userId = this.context.actor?.userId ?? null;
    const result = await this.anomalies.resolve(id, status, userId, this.clock.now());
    if (!result) throw notFound(ANOMALY_RECORD_TYPE);
    await this.audit.record({
      action: status === 'normal' ? AuditAction.AiAnomalyMarkedNormal : AuditAction.AiAnomalyDismissed,
      targetType: ANOMALY_RECORD_TYPE,
      targetId: id,
      changes: { before: { status: current.status }, after: { status } },
      metadata: { kind: current.kind, subject: current.subject },
    });
    return view(result.after);
  }

  /**
   * Detects over the organization's history and stores the anomalies not stored yet (idempotent: a rerun or two
   * racing scans add nothing twice). Answers how many are new.
   */
  async scan(): Promise<number> {
    const today = stockholmDate(this.clock.now());
    const historyFrom = addDays(today, -SCAN_HISTORY_DAYS);
    const since = addDays(today, -SCAN_RECENT_DAYS);
    const [expenses, contracts, bills, normal, categoryNames] = await Promise.all([
      this.data.expenses(historyFrom, today),
      this.data.contractsBetween(historyFrom, today),
      this.data.billsBetween(addDays(historyFrom, -60), today),
      this.anomalies.markedNormal(),
      this.data.categoryNames(),
    ]);
    if (!expenses.length) return 0;
    const supplierNames = await this.data.supplierNames(
      expenses.map((e) => e.supplierId).filter((s): s is string => !!s),
    );
    const found = detectAnomalies({
      expenses,
      contracts,
      paidBills: bills
        .filter((b) => b.status === 'paid' && b.paidAt)
        .map((b) => ({
          id: b.id,
          supplierId: b.supplierId,
          amount: b.amount,
          dueDate: b.dueDate,
          paidAt: b.paidAt!,
        })),
      rules: normal.map((a) => ({ kind: a.kind, subject: a.subject, amount: a.amount })),
      since,
      supplierNames,
      categoryNames,
    });
    // Spikes are dated by their month's latest charge: look a month further back for stored keys.
    const stored = await this.anomalies.keysSince(addDays(since, -31));
    const fresh = found.filter((a) => !stored.has(a.key));
    if (!fresh.length) return 0;
    const ids = await this.ids.reserveGlobalIds(fresh.length);
    const added = await this.anomalies.addNew(
      fresh.map((a, i) => ({
        _id: ids[i],
        key: a.key,
        kind: a.kind,
        severity: a.severity,
        status: 'open' as const,
        date: a.date,
        period: periodOf(a.date),
        amount: a.amount,
        expected: a.expected,
        subject: a.subject,
        supplierId: a.supplierId,
        categoryId: a.categoryId,
        contractId: a.contractId,
        billId: a.billId,
        transactionIds: a.transactionIds,
        reasonSv: a.reason.sv,
        reasonEn: a.reason.en,
        resolvedBy: null,
        resolvedAt: null,
      })),
    );
    for (const a of added) {
      await this.audit.record({
        action: AuditAction.AiAnomalyDetected,
        targetType: ANOMALY_RECORD_TYPE,
        targetId: a._id,
        metadata: {
          kind: a.kind,
          severity: a.severity,
          date: a.date,
          amount: a.amount,
          reasonSv: a.reasonSv,
          reasonEn: a.reasonEn,
        },
      });
    }
    return added.length;
  }
}
