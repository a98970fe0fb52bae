import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { apiPath } from '../../../common/http/api';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { isStorageNotFound } from '../../../infrastructure/storage/storage-errors';
import { JobName, jobIdFor } from '../../../infrastructure/queue/queue.constants';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import type { ReportLocale } from '../common/format';
import type { ReportData, ReportKind } from '../data/report-data';
import { periodRange, ReportDataService } from '../data/report-data.service';
import { renderCsv } from '../render/csv.renderer';
import { PDF_STEPS, renderPdf } from '../render/pdf.renderer';
import { renderXlsx } from '../render/xlsx.renderer';
import { ReportsError } from '../reports.errors';
import { ReportFiles } from './report-files';
import { ReportsRepository } from './reports.repository';
import type { ReportDoc, ReportFormat, ReportStatus } from './reports.schema';

export const REPORT_RECORD_TYPE = 'report';
/** How long a report file is kept (then the hourly cleanup removes it). */
export const REPORT_RETENTION_DAYS = 7;
/** Sections of the CSV/XLSX written before the transaction list (progress steps). */
const TABLE_STEPS = 8;
/** Progress is written at most this often (ms), and at the end. */
const PROGRESS_EVERY_MS = 500;

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export interface ReportInput {
  kind: ReportKind;
  period: string;
  format: ReportFormat;
  locale?: ReportLocale;
  categoryIds?: string[];
  accounts?: string[];
}

export interface ReportView {
  id: string;
  kind: ReportKind;
  period: string;
  format: ReportFormat;
  locale: ReportLocale;
  filters: { categoryIds: string[]; accounts: string[] };
  status: ReportStatus;
  progress: { done: number; total: number };
  downloadUrl: string | null;
  size: number | null;
  error: string | null;
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
}

const view = (r: ReportDoc): ReportView => ({
  id: r._id,
  kind: r.kind,
  period: r.period,
  format: r.format,
  locale: r.locale,
  filters: { categoryIds: r.categoryIds, accounts: r.accounts },
  status: r.status,
  progress: { done: r.progressDone, total: r.progressTotal },
  downloadUrl: r.status === 'done' ? apiPath('reports', r._id, 'file') : null,
  size: r.size,
  error: r.error,
  createdAt: r.createdAt,
  completedAt: r.completedAt,
  expiresAt: r.expiresAt,
});

/**
 * Reports: asked for with `POST /reports` (a record, then a job makes the file), polled with `GET /reports/{id}`,
 * downloaded from `GET /reports/{id}/file` until they expire. `GET /reports/data` answers the figures at once.
 */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly reports: ReportsRepository,
    private readonly data: ReportDataService,
    private readonly files: ReportFiles,
    private readonly ids: GlobalIdService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly context: RequestContext,
    @Inject(USERS) private readonly users: UsersDirectory,
  ) {}

  /** The requesting user's language unless the request names one. */
  private async localeOf(asked: ReportLocale | undefined): Promise<ReportLocale> {
    if (asked) return asked;
    const actor = this.context.actor;
    const user = actor ? await this.users.findById(actor.userId) : null;
    return user?.preferences.ui.locale ?? 'sv';
  }

  async figures(q: Omit<ReportInput, 'format'>): Promise<ReportData> {
    const { data } = await this.data.build({ ...q, locale: await this.localeOf(q.locale) });
    return data;
  }

  async create(input: ReportInput): Promise<ReportView> {
    periodRange(input.kind, input.period);
    await this.data.selection(input);
    const report = await this.add(input, await this.localeOf(input.locale), 'request');
    await this.audit.record({
      action: AuditAction.ReportRequested,
      targetType: REPORT_RECORD_TYPE,
      targetId: report._id,
      metadata: { kind: input.kind, period: input.period, format: input.format },
    });
    return view(report);
  }

  /** Stores a queued report and enqueues its job (also for the monthly mail). */
  async add(
    input: ReportInput,
    locale: ReportLocale,
    origin: ReportDoc['origin'],
    requestedBy: string | null = this.context.actor?.userId ?? null,
    id?: string,
  ): Promise<ReportDoc> {
    const report = await this.reports.addReport({
      _id: id ?? (await this.ids.getNextGlobalId()),
      kind: input.kind,
      period: input.period,
      format: input.format,
      locale,
      categoryIds: input.categoryIds ?? [],
      accounts: input.accounts ?? [],
      status: 'queued',
      progressDone: 0,
      progressTotal: 0,
      fileKey: null,
      size: null,
      completedAt: null,
      expiresAt: null,
      error: null,
      origin,
      requestedBy,
    });
    if (origin === 'request') await this.enqueue(report._id);
    return report;
  }

  enqueue(reportId: string): Promise<void> {
    const { organizationId } = this.context.requireTenant();
    const name = JobName.ReportsGenerate;
    return this.jobs.add(name, { organizationId, reportId }, { jobId: jobIdFor(name, reportId) });
  }

  async list(page: { cursor?: string; limit: number }): Promise<Page<ReportView>> {
    const result = await this.reports.list(page);
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<ReportView> {
    return view(await this.require(id));
  }

  async find(id: string): Promise<ReportDoc | null> {
    return this.reports.findById(id);
  }

  async file(id: string): Promise<{ stream: Readable; fileName: string; contentType: string; size: number }> {
    const report = await this.require(id);
    if (report.status === 'expired') throw new ReportsError('REPORT_EXPIRED', undefined, { id });
    if (report.status === 'failed')
      throw new ReportsError('REPORT_FAILED', undefined, { id, error: report.error });
    if (report.status !== 'done' || !report.fileKey)
      throw new ReportsError('REPORT_NOT_READY', undefined, { id, status: report.status });
    const prefix =
      report.locale === 'sv'
        ? report.kind === 'monthly'
          ? 'manadsrapport'
          : 'arsrapport'
        : `${report.kind}-report`;
    let file: { body: Readable; size: number };
    try {
      file = await this.files.open(report.fileKey);
    } catch (error) {
      // The record says done but the file is gone (removed by hand, a storage reset): as good as expired.
      if (isStorageNotFound(error)) throw new ReportsError('REPORT_EXPIRED', undefined, { id });
      throw error;
    }
    return {
      stream: file.body,
      fileName: `${prefix}-${report.period}.${report.format}`,
      contentType: CONTENT_TYPES[report.format],
      size: file.size,
    };
  }

  /**
   * The job: builds the figures, renders the file into storage and marks the report done. Safe to run twice: a done
   * report is left alone, a half-written file is written again from the start under a temporary name.
   */
  async generate(reportId: string): Promise<ReportDoc | null> {
    const report = await this.reports.findById(reportId);
    if (!report || report.status === 'done' || report.status === 'expired') return report;
    const { data, rows } = await this.data.build({
      kind: report.kind,
      period: report.period,
      locale: report.locale,
      categoryIds: report.categoryIds.length ? report.categoryIds : undefined,
      accounts: report.accounts.length ? report.accounts : undefined,
    });
    const total = report.format === 'pdf' ? PDF_STEPS : TABLE_STEPS + rows.count;
    await this.reports.start(reportId, total);
    let done = 0;
    let written = Date.now();
    let pending: Promise<unknown> = Promise.resolve();
    const progress = (n: number) => {
      done += n;
      if (Date.now() - written >= PROGRESS_EVERY_MS) {
        written = Date.now();
        const at = Math.min(done, total);
        pending = pending.then(() => this.reports.progress(reportId, at)).catch(() => undefined);
      }
    };
    const key = this.files.keyOf(report.organizationId, reportId, report.format);
    const file = this.files.create(key, CONTENT_TYPES[report.format]);
    try {
      const rendering =
        report.format === 'pdf'
          ? renderPdf(data, file.stream, progress)
          : report.format === 'xlsx'
            ? renderXlsx(data, rows, file.stream, progress)
            : renderCsv(data, rows, file.stream, progress);
      // The storage failing ends the job at once (the renderer may be waiting for a stream nobody reads).
      const [, size] = await Promise.all([rendering, file.done]);
      await pending;
      const now = this.clock.now();
      const result = await this.reports.finish(reportId, {
        fileKey: key,
        size,
        total,
        completedAt: now,
        expiresAt: new Date(now.getTime() + REPORT_RETENTION_DAYS * 86_400_000),
      });
      return result?.after ?? null;
    } catch (error) {
      await file.abort();
      throw error;
    }
  }

  async fail(reportId: string): Promise<void> {
    await this.reports.fail(reportId, 'REPORT_FAILED_INTERNAL');
  }

  /** Removes the organization's files past their expiry; the records stay, `expired`. */
  async expireDue(): Promise<number> {
    const due = await this.reports.dueForExpiry(this.clock.now());
    for (const report of due) {
      if (report.fileKey) await this.files.remove(report.fileKey);
      await this.reports.expire(report._id);
    }
    if (due.length) this.logger.log({ count: due.length }, 'Report files expired');
    return due.length;
  }

  organizationsWithExpiredFiles(): Promise<string[]> {
    return this.reports.organizationsWithExpiredFiles(this.clock.now());
  }

  private async require(id: string): Promise<ReportDoc> {
    const report = await this.reports.findById(id);
    if (!report) throw notFound(REPORT_RECORD_TYPE);
    return report;
  }
}
