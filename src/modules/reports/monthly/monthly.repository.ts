import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { CrossTenantReason, TenantRepository } from '../../../infrastructure/mongo/repositories';
import { unlessTaken, type Taken } from '../../../infrastructure/mongo/unique';
import {
  ReportMailingEntity,
  ReportSubscriptionEntity,
  type ReportMailingDoc,
  type ReportSubscriptionDoc,
} from './monthly.schema';

@Injectable()
export class ReportSubscriptionsRepository extends TenantRepository<ReportSubscriptionDoc> {
  constructor(
    @InjectModel(ReportSubscriptionEntity.name) model: Model<ReportSubscriptionDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  async ofUser(userId: string): Promise<ReportSubscriptionDoc | null> {
    const [row] = await this.find({ userId }, { limit: 1 });
    return row ?? null;
  }

  /** Creates the member's row, or TAKEN when it exists (then `setEnabled`). */
  addSubscription(id: string, userId: string, enabled: boolean): Promise<ReportSubscriptionDoc | Taken> {
    return unlessTaken(() => this.create({ _id: id, userId, enabled }));
  }

  setEnabled(userId: string, enabled: boolean) {
    return this.updateWhere({ userId }, { $set: { enabled } });
  }

  enabled(): Promise<ReportSubscriptionDoc[]> {
    return this.find({ enabled: true }, { sort: { userId: 1 } });
  }

  async organizationsWithSubscribers(): Promise<string[]> {
    const rows = await this.acrossTenants(CrossTenantReason.ReportsMonthlyMail, (collection) =>
      collection.find({ enabled: true }, { projection: { organizationId: 1 } }).toArray(),
    );
    return [...new Set(rows.map((r) => String(r.organizationId)))].sort();
  }
}

@Injectable()
export class ReportMailingsRepository extends TenantRepository<ReportMailingDoc> {
  constructor(
    @InjectModel(ReportMailingEntity.name) model: Model<ReportMailingDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  async of(userId: string, period: string): Promise<ReportMailingDoc | null> {
    const [row] = await this.find({ userId, period }, { limit: 1 });
    return row ?? null;
  }

  claim(doc: {
    _id: string;
    userId: string;
    period: string;
    reportId: string;
  }): Promise<ReportMailingDoc | Taken> {
    return unlessTaken(() => this.create({ ...doc, status: 'claimed' }));
  }

  markSent(id: string) {
    return this.updateWhere({ _id: id }, { $set: { status: 'sent' } });
  }
}
