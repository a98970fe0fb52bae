import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../../infrastructure/mongo/repositories';
import { CalendarTokenEntity, type CalendarTokenDoc } from './calendar.schema';

/** Per-user data outside any organization. */
@Injectable()
export class CalendarTokensRepository extends BaseRepository<CalendarTokenDoc> {
  constructor(@InjectModel(CalendarTokenEntity.name) model: Model<CalendarTokenDoc>) {
    super(model);
  }

  findByUser(userId: string): Promise<CalendarTokenDoc | null> {
    return this.findOneWhere({ _id: userId });
  }

  findByHash(tokenHash: string): Promise<CalendarTokenDoc | null> {
    return this.findOneWhere({ tokenHash });
  }

  /** The user's token becomes `tokenHash`; the previous one stops working at once. */
  async replace(userId: string, tokenHash: string): Promise<void> {
    await this.model.updateOne({ _id: userId }, { $set: { tokenHash } }, { upsert: true }).exec();
  }

  async remove(userId: string): Promise<boolean> {
    return (await this.model.deleteOne({ _id: userId }).exec()).deletedCount > 0;
  }
}
