import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { byEachId } from '../../../infrastructure/mongo/id-filter';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository } from '../../../infrastructure/mongo/repositories';
import type { PolicyType } from '../common/policy-kinds';
import { InsurancePolicyEntity, type InsurancePolicyDoc } from './policies.schema';

/** What a policy update may change (undefined: unchanged). */
export type PolicyChange = Partial<
  Omit<InsurancePolicyDoc, '_id' | 'organizationId' | 'createdAt' | 'updatedAt'>
>;

@Injectable()
export class InsurancePoliciesRepository extends SoftDeleteTenantRepository<InsurancePolicyDoc> {
  constructor(
    @InjectModel(InsurancePolicyEntity.name) model: Model<InsurancePolicyDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  list(
    filter: { type?: PolicyType },
    page: { cursor?: string; limit: number },
  ): Promise<Page<InsurancePolicyDoc>> {
    return this.pageSorted(filter.type ? { type: filter.type } : {}, { field: 'type', direction: 1 }, page);
  }

  /** Every live policy of the organization (the summary and the reminder run; a household has a handful). */
  all(ids?: readonly string[]): Promise<InsurancePolicyDoc[]> {
    return byEachId(ids, (id) => this.find(id, { sort: { type: 1, _id: 1 } }));
  }

  change(
    id: string,
    change: PolicyChange,
  ): Promise<{ before: InsurancePolicyDoc; after: InsurancePolicyDoc } | null> {
    return this.setFields(id, change);
  }
}
