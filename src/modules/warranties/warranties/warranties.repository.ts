import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { byEachId } from '../../../infrastructure/mongo/id-filter';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository } from '../../../infrastructure/mongo/repositories';
import { WarrantyEntity, type WarrantyDoc } from './warranties.schema';

export type WarrantyChange = Partial<Omit<WarrantyDoc, '_id' | 'organizationId' | 'createdAt' | 'updatedAt'>>;

@Injectable()
export class WarrantiesRepository extends SoftDeleteTenantRepository<WarrantyDoc> {
  constructor(@InjectModel(WarrantyEntity.name) model: Model<WarrantyDoc>, context: RequestContext) {
    super(model, context);
  }

  /** By end date; `from`/`to` bound it (active: from today; expired: to yesterday; expiring: today … today + N). */
  list(
    range: { from?: string; to?: string },
    page: { cursor?: string; limit: number },
  ): Promise<Page<WarrantyDoc>> {
    const endDate = { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lte: range.to } : {}) };
    return this.pageSorted(
      range.from || range.to ? { endDate } : {},
      { field: 'endDate', direction: 1 },
      page,
    );
  }

  /** Warranties still running on `day` (the reminder source's occasions), all or of these ids. */
  runningOn(day: string, ids?: readonly string[]): Promise<WarrantyDoc[]> {
    return byEachId(ids, (id) => this.find({ endDate: { $gte: day }, ...id }, { sort: { endDate: 1 } }));
  }

  change(id: string, change: WarrantyChange) {
    return this.setFields(id, change);
  }
}
