import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { CrossTenantReason, TenantRepository } from '../../../infrastructure/mongo/repositories';
import { ReportEntity, type ReportDoc } from './reports.schema';

export type NewReport = Omit<ReportDoc, 'organizationId' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class ReportsRepository extends TenantRepository<ReportDoc> {
  constructor(@InjectModel(ReportEntity.name) model: Model<ReportDoc>, context: RequestContext) {
    super(model, context);
  }

  addReport(doc: NewReport): Promise<ReportDoc> {
    return this.create(doc);
  }

  list(page: { cursor?: string; limit: number }): Promise<Page<ReportDoc>> {
    return this.page({}, page);
  }

  /** queued/failed → running (a retry of a running one stays running); null when done or gone. */
  start(id: string, total: number) {
    return this.updateWhere(
      { _id: id, status: { $in: ['queued', 'running', 'failed'] } },
      { $set: { status: 'running', progressDone: 0, progressTotal: total, error: null } },
    );
  }

  progress(id: string, done: number) {
    return this.updateWhere({ _id: id, status: 'running' }, { $set: { progressDone: done } });
  }

  finish(
    id: string,
    file: { fileKey: string; size: number; total: number; completedAt: Date; expiresAt: Date },
  ) {
    return this.updateWhere(
      { _id: id, status: 'running' },
      {
        $set: {
          status: 'done',
          fileKey: file.fileKey,
          size: file.size,
          progressDone: file.total,
          progressTotal: file.total,
          completedAt: file.completedAt,
          expiresAt: file.expiresAt,
        },
      },
    );
  }

  fail(id: string, code: string) {
    return this.updateWhere(
      { _id: id, status: { $in: ['queued', 'running'] } },
      { $set: { status: 'failed', error: code } },
    );
  }

  /** The organization's done reports whose file expired at `now`. */
  dueForExpiry(now: Date): Promise<ReportDoc[]> {
    return this.find({ status: 'done', expiresAt: { $lte: now } });
  }

  expire(id: string) {
    return this.updateWhere({ _id: id, status: 'done' }, { $set: { status: 'expired', fileKey: null } });
  }

  /** Organizations with a report file due to expire (the hourly cleanup scan). */
  async organizationsWithExpiredFiles(now: Date): Promise<string[]> {
    const rows = await this.acrossTenants(CrossTenantReason.ReportsRetention, (collection) =>
      collection
        .find({ status: 'done', expiresAt: { $lte: now } }, { projection: { organizationId: 1 } })
        .limit(5000)
        .toArray(),
    );
    return [...new Set(rows.map((r) => String(r.organizationId)))];
  }
}
