import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../../../infrastructure/mongo/unique';
import { BillingNoticeEntity, type BillingNoticeDoc } from './notices.schema';

@Injectable()
export class BillingNoticesRepository {
  constructor(@InjectModel(BillingNoticeEntity.name) private readonly model: Model<BillingNoticeDoc>) {}

  /** True for the first caller with this key (unique `_id`), false for every later one. */
  async claim(notice: BillingNoticeDoc): Promise<boolean> {
    try {
      await this.model.create(notice);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Gives a claim back (the claimed action failed and may be tried again). */
  async release(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }

  forOrganization(organizationId: string, limit = 50): Promise<BillingNoticeDoc[]> {
    return this.model
      .find({ organizationId })
      .sort({ at: -1 })
      .limit(limit)
      .lean<BillingNoticeDoc[]>()
      .exec();
  }
}
