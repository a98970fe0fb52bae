import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { byEachId } from '../../../infrastructure/mongo/id-filter';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository } from '../../../infrastructure/mongo/repositories';
import { escapeRegex } from '../../../infrastructure/mongo/regex';
import type { ContractKind, ContractStatus } from './contract-kinds';
import { ContractEntity, type ContractDoc } from './contracts.schema';

export interface ContractFilter {
  status?: ContractStatus;
  kind?: ContractKind;
  categoryId?: string;
  providerId?: string;
  /** Normalized lower-case part of the name. */
  q?: string;
}

/** What a contract update may change (undefined: unchanged). */
export type ContractChange = Partial<Omit<ContractDoc, '_id' | 'organizationId' | 'createdAt' | 'updatedAt'>>;

/** The filter of each status on `today` (`cancelledOn`/`endDate` are calendar dates, compared as strings). */
function statusFilter(status: ContractStatus, today: string): Record<string, unknown> {
  switch (status) {
    case 'active':
      return { endDate: null };
    case 'ending':
      return { endDate: { $gte: today } };
    case 'ended':
      return { endDate: { $lt: today }, cancelledOn: null };
    case 'cancelled':
      return { endDate: { $lt: today }, cancelledOn: { $ne: null } };
  }
}

@Injectable()
export class ContractsRepository extends SoftDeleteTenantRepository<ContractDoc> {
  constructor(@InjectModel(ContractEntity.name) model: Model<ContractDoc>, context: RequestContext) {
    super(model, context);
  }

  list(
    filter: ContractFilter,
    today: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<ContractDoc>> {
    const where: Record<string, unknown> = {
      ...(filter.status ? statusFilter(filter.status, today) : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.categoryId ? { categoryId: filter.categoryId } : {}),
      ...(filter.providerId ? { providerId: filter.providerId } : {}),
      ...(filter.q ? { nameKey: { $regex: escapeRegex(filter.q) } } : {}),
    };
    return this.pageSorted(where, { field: 'nameKey', direction: 1 }, page);
  }

  /** Contracts running on or after `from` (no end date, or ending then or later): what statistics look at. */
  runningFrom(from: string, ids?: readonly string[]): Promise<ContractDoc[]> {
    return byEachId(ids, (id) =>
      this.find({ $or: [{ endDate: null }, { endDate: { $gte: from } }], ...id }, { sort: { nameKey: 1 } }),
    );
  }

  /** The contracts of these providers running on or after `from` (bank lines paying a provider). */
  ofProvidersFrom(providerIds: string[], from: string): Promise<ContractDoc[]> {
    if (!providerIds.length) return Promise.resolve([]);
    return this.find(
      { providerId: { $in: providerIds }, $or: [{ endDate: null }, { endDate: { $gte: from } }] },
      { sort: { nameKey: 1 } },
    );
  }

  /** Every contract of the organization (statistics over history, cost so far). */
  all(): Promise<ContractDoc[]> {
    return this.find({}, { sort: { nameKey: 1 } });
  }

  change(id: string, change: ContractChange): Promise<{ before: ContractDoc; after: ContractDoc } | null> {
    return this.setFields(id, change);
  }
}
