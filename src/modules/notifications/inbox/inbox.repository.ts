import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { MutableRepository } from '../../../infrastructure/mongo/repositories';
import type { NotificationKind } from '../notifications.contract';
import { NotificationEntity, type EmailState, type NotificationDoc } from './inbox.schema';

export type NewNotification = Omit<NotificationDoc, 'createdAt' | 'updatedAt'>;

export interface InboxFilter {
  userId: string;
  organizationIds: string[];
  now: Date;
  unread?: boolean;
  kind?: NotificationKind;
}

const visible = (f: InboxFilter): FilterQuery<NotificationDoc> => ({
  userId: f.userId,
  organizationId: { $in: f.organizationIds },
  inApp: true,
  showFrom: { $lte: f.now },
  ...(f.unread ? { readAt: null } : {}),
  ...(f.kind ? { kind: f.kind } : {}),
});

/** Notifications are a person's (see the schema): every read and write here names the user. */
@Injectable()
export class NotificationsRepository extends MutableRepository<NotificationDoc> {
  constructor(@InjectModel(NotificationEntity.name) model: Model<NotificationDoc>) {
    super(model);
  }

  /**
   * Inserts the new ones; a key already stored (the occasion was told, by this run or an earlier one) is skipped.
   * Answers the ones inserted now.
   */
  async addNew(docs: NewNotification[]): Promise<NewNotification[]> {
    if (!docs.length) return [];
    const outcome = await insertMany(this.model, docs, { ordered: false });
    const duplicates = new Set(duplicatesOnly(outcome));
    return docs.filter((_, i) => !duplicates.has(i));
  }

  page(filter: InboxFilter, page: PageRequest): Promise<Page<NotificationDoc & { createdAt: Date }>> {
    return this.pageWhere(visible(filter), page);
  }

  countUnread(filter: InboxFilter): Promise<number> {
    return this.countWhere(visible({ ...filter, unread: true }));
  }

  findMine(userId: string, id: string): Promise<NotificationDoc | null> {
    return this.findOneWhere({ _id: id, userId });
  }

  async markRead(userId: string, id: string, at: Date): Promise<NotificationDoc | null> {
    await this.model.updateOne({ _id: id, userId, readAt: null }, { $set: { readAt: at } }).exec();
    return this.findMine(userId, id);
  }

  /** Marks every visible unread notification read (of one organization, or all the person's); answers how many. */
  async markAllRead(filter: InboxFilter, at: Date): Promise<number> {
    const result = await this.model
      .updateMany(visible({ ...filter, unread: true }), { $set: { readAt: at } })
      .exec();
    return result.modifiedCount;
  }

  /** Held mail or webhooks whose time has come, oldest first. */
  dueToSend(channel: 'email' | 'webhook', now: Date, limit: number): Promise<NotificationDoc[]> {
    return this.findWhere(
      { [channel]: 'held', sendAt: { $lte: now } },
      { sort: { sendAt: 1, _id: 1 }, limit },
    );
  }

  /** Moves one channel on from a state (the delivery step done); false when it had moved already. */
  async advance(id: string, channel: 'email' | 'webhook', from: string, to: string): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: id, [channel]: from }, { $set: { [channel]: to } })
      .exec();
    return result.modifiedCount > 0;
  }

  /** People with mail waiting for the digest up to `before`, in user id order. */
  async digestUsers(before: Date, afterUserId: string | null, limit: number): Promise<string[]> {
    const filter: FilterQuery<NotificationDoc> = { email: 'digest', sendAt: { $lte: before } };
    if (afterUserId) filter.userId = { $gt: afterUserId };
    const rows = await this.findWhere(filter, { sort: { userId: 1 }, limit: limit * 20 });
    return [...new Set(rows.map((r) => r.userId))].slice(0, limit);
  }

  digestOf(userId: string, before: Date): Promise<NotificationDoc[]> {
    return this.findWhere(
      { userId, email: 'digest', sendAt: { $lte: before } },
      { sort: { createdAt: 1, _id: 1 }, limit: 200 },
    );
  }

  async setEmailState(ids: string[], from: EmailState, to: EmailState): Promise<void> {
    if (!ids.length) return;
    await this.model.updateMany({ _id: { $in: ids }, email: from }, { $set: { email: to } }).exec();
  }

  /** A person's notifications created in [from, to): the weekly summary. */
  createdBetween(userId: string, from: Date, to: Date): Promise<NotificationDoc[]> {
    return this.findWhere(
      { userId, notifiedAt: { $gte: from, $lt: to }, kind: { $ne: 'weekly_summary' } },
      { sort: { notifiedAt: 1 }, limit: 500 },
    );
  }
}
