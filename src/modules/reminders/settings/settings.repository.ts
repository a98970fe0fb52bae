import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../../infrastructure/mongo/repositories';
import type { ReminderKind } from '../reminders.contract';
import { ReminderSettingsEntity, type ReminderSettingsDoc } from './settings.schema';

/** Per-user data, outside any organization (keyed by the user id). */
@Injectable()
export class ReminderSettingsRepository extends BaseRepository<ReminderSettingsDoc> {
  constructor(@InjectModel(ReminderSettingsEntity.name) model: Model<ReminderSettingsDoc>) {
    super(model);
  }

  async disabledKinds(userId: string): Promise<ReminderKind[]> {
    return (await this.findOneWhere({ _id: userId }))?.disabledKinds ?? [];
  }

  async setDisabledKinds(userId: string, kinds: ReminderKind[]): Promise<void> {
    await this.model.updateOne({ _id: userId }, { $set: { disabledKinds: kinds } }, { upsert: true }).exec();
  }
}
