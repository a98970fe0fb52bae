import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { TenantRepository, type Filter } from '../../../infrastructure/mongo/repositories';
import type { AnomalyKind, AnomalySeverity } from './anomalies.detect';
import { AiAnomalyEntity, type AiAnomalyDoc, type AnomalyStatus } from './anomalies.schema';

export interface AnomalyListFilter {
  kind?: AnomalyKind;
  /** Only these severities (the service turns "at least" into the list). */
  severities?: AnomalySeverity[];
  status?: AnomalyStatus;
  periodFrom?: string;
  periodTo?: string;
}

export type NewAnomaly = Omit<AiAnomalyDoc, 'organizationId' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class AnomaliesRepository extends TenantRepository<AiAnomalyDoc> {
  constructor(@InjectModel(AiAnomalyEntity.name) model: Model<AiAnomalyDoc>, context: RequestContext) {
    super(model, context);
  }

  list(filter: AnomalyListFilter, page: PageRequest): Promise<Page<AiAnomalyDoc>> {
    const where: Filter<AiAnomalyDoc> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.status) where.status = filter.status;
    if (filter.severities && filter.severities.length < 3) where.severity = { $in: filter.severities };
    if (filter.periodFrom || filter.periodTo)
      where.period = {
        ...(filter.periodFrom ? { $gte: filter.periodFrom } : {}),
        ...(filter.periodTo ? { $lte: filter.periodTo } : {}),
      };
    return this.page(where, page);
  }

  /** The keys of the organization's anomalies dated on or after `since` (a scan skips them). */
  async keysSince(since: string): Promise<Set<string>> {
    const rows = await this.find({ date: { $gte: since } });
    return new Set(rows.map((r) => r.key));
  }

  /** Anomalies a person marked "this is normal": the rules a scan applies. */
  markedNormal(): Promise<AiAnomalyDoc[]> {
    return this.find({ status: 'normal' });
  }

  /** Inserts the new anomalies; ones whose key is already stored (a racing scan) are skipped. Answers the added. */
  async addNew(docs: NewAnomaly[]): Promise<NewAnomaly[]> {
    if (!docs.length) return [];
    const organizationId = this.organizationId;
    const now = new Date();
    const outcome = await insertMany(
      this.model,
      docs.map((d) => ({ ...d, organizationId, createdAt: now, updatedAt: now })),
      { ordered: false },
    );
    const duplicates = new Set(duplicatesOnly(outcome));
    return docs.filter((_, i) => !duplicates.has(i));
  }

  /** Sets the status; null when the anomaly is not the organization's. */
  resolve(id: string, status: AnomalyStatus, userId: string | null, at: Date) {
    return this.updateById(id, { $set: { status, resolvedBy: userId, resolvedAt: at } });
  }
}
