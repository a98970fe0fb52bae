import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../../infrastructure/mongo/repositories';
import { NotificationSettingsEntity, type NotificationSettingsDoc } from './settings.schema';

export type SettingsValues = Pick<NotificationSettingsDoc, 'kinds' | 'quietHours' | 'announcements'>;

/** Per-user data, outside any organization (keyed by the user id). */
@Injectable()
export class NotificationSettingsRepository extends BaseRepository<NotificationSettingsDoc> {
  constructor(@InjectModel(NotificationSettingsEntity.name) model: Model<NotificationSettingsDoc>) {
    super(model);
  }

  findFor(userId: string): Promise<NotificationSettingsDoc | null> {
    return this.findOneWhere({ _id: userId });
  }

  /** Settings of many people at once (a notification to an organization's members). */
  async findMany(userIds: string[]): Promise<Map<string, NotificationSettingsDoc>> {
    if (!userIds.length) return new Map();
    const rows = await this.findWhere({ _id: { $in: userIds } });
    return new Map(rows.map((r) => [r._id, r]));
  }

  /** Replaces a person's settings (creating them on the first change). */
  async save(userId: string, values: SettingsValues): Promise<void> {
    await this.model
      .updateOne(
        { _id: userId },
        { $set: { kinds: values.kinds, quietHours: values.quietHours, announcements: values.announcements } },
        { upsert: true },
      )
      .exec();
  }

  /** Turns announcements off (the unsubscribe link); true when they were on (or never set). */
  async unsubscribe(userId: string): Promise<boolean> {
    const before = await this.findFor(userId);
    if (before && !before.announcements) return false;
    await this.model
      .updateOne(
        { _id: userId },
        { $set: { announcements: false } },
        { upsert: true, setDefaultsOnInsert: true },
      )
      .exec();
    return true;
  }

  /** People who asked for the weekly summary, in id order after `afterId`. */
  async weeklySummaryUsers(afterId: string | null, limit: number): Promise<string[]> {
    const filter: Record<string, unknown> = { 'kinds.weekly_summary.enabled': true };
    if (afterId) filter._id = { $gt: afterId };
    return (await this.findWhere(filter, { sort: { _id: 1 }, limit })).map((r) => r._id);
  }

  /** Of these people, those who turned announcements off. */
  async optedOut(userIds: string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows = await this.findWhere({ _id: { $in: userIds }, announcements: false });
    return new Set(rows.map((r) => r._id));
  }
}
