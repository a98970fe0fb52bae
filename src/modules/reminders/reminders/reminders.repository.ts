import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { TenantRepository } from '../../../infrastructure/mongo/repositories';
import type { ReminderKind } from '../reminders.contract';
import { ReminderEntity, type ReminderDoc, type ReminderState } from './reminders.schema';

export type NewReminder = Omit<ReminderDoc, 'organizationId' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class RemindersRepository extends TenantRepository<ReminderDoc> {
  constructor(@InjectModel(ReminderEntity.name) model: Model<ReminderDoc>, context: RequestContext) {
    super(model, context);
  }

  /** Inserts the reminders not stored yet (by `key`); returns those that were new. */
  async addNew(reminders: NewReminder[]): Promise<NewReminder[]> {
    if (!reminders.length) return [];
    const now = new Date();
    const organizationId = this.context.requireTenant().organizationId;
    const docs = reminders.map((r) => ({ ...r, organizationId, createdAt: now, updatedAt: now }));
    const outcome = await insertMany(this.model, docs, { ordered: false, lean: true });
    const duplicates = new Set(duplicatesOnly(outcome));
    return reminders.filter((_, index) => !duplicates.has(index));
  }

  /** The stored reminders of these keys (any state): key → id and state. */
  async byKeys(keys: string[]): Promise<Map<string, { id: string; state: ReminderState }>> {
    if (!keys.length) return new Map();
    const found = await this.model
      .find(this.scope({ key: { $in: keys } }), { key: 1, state: 1 })
      .lean<{ _id: string; key: string; state: ReminderState }[]>()
      .exec();
    return new Map(found.map((r) => [r.key, { id: r._id, state: r.state }]));
  }

  /** Obsolete reminders whose occasion is back (a record restored from the trash) open again; one statement. */
  async reopen(ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const result = await this.model
      .updateMany(this.scope({ _id: { $in: ids }, state: 'obsolete' }), { $set: { state: 'open' } })
      .exec();
    return result.modifiedCount;
  }

  /** Open reminders (all kinds, snoozed ones too). */
  open(): Promise<ReminderDoc[]> {
    return this.find({ state: 'open' });
  }

  /** Open reminders of these records (`sourceId` an id or `{ $in }`). */
  openOf(sourceId: string | { $in: string[] }): Promise<ReminderDoc[]> {
    return this.find({ state: 'open', sourceId });
  }

  /** Marks these open reminders obsolete (their occasion is gone); one statement. */
  async markObsolete(ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const result = await this.model
      .updateMany(this.scope({ _id: { $in: ids }, state: 'open' }), { $set: { state: 'obsolete' } })
      .exec();
    return result.modifiedCount;
  }

  /** Open reminders due on `day` (remindOn on or before it), newest due first, without the excluded kinds. */
  due(
    day: string,
    excludedKinds: ReminderKind[],
    page: { cursor?: string; limit: number },
  ): Promise<Page<ReminderDoc>> {
    return this.page(
      {
        state: 'open',
        remindOn: { $lte: day },
        ...(excludedKinds.length ? { kind: { $nin: excludedKinds } } : {}),
        $or: [{ snoozedUntil: null }, { snoozedUntil: { $lt: day } }],
      },
      page,
    );
  }

  snooze(id: string, until: string) {
    return this.updateWhere({ _id: id, state: 'open' }, { $set: { snoozedUntil: until } });
  }

  markDone(id: string, by: string, at: Date) {
    return this.updateWhere({ _id: id, state: 'open' }, { $set: { state: 'done', doneAt: at, doneBy: by } });
  }
}
