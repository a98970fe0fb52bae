import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../../../infrastructure/mongo/unique';
import { StripeEventEntity } from './stripe-events.schema';

@Injectable()
export class StripeEventsRepository {
  constructor(@InjectModel(StripeEventEntity.name) private readonly model: Model<StripeEventEntity>) {}

  /** True the first time an event id is seen. */
  async claim(id: string, type: string, receivedAt: Date): Promise<boolean> {
    try {
      await this.model.create({ _id: id, type, receivedAt, outcome: null, organizationId: null });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async setOutcome(id: string, outcome: string, organizationId: string | null): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { outcome, organizationId } }).exec();
  }

  /** Processing failed: forget the event so Stripe's retry is processed again. */
  async release(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
