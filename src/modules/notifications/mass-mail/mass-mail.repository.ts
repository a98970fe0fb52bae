import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { MutableRepository } from '../../../infrastructure/mongo/repositories';
import {
  MassMailEntity,
  MassMailRecipientEntity,
  type MassMailDoc,
  type MassMailRecipientDoc,
  type RecipientState,
} from './mass-mail.schema';

export type NewMassMail = Omit<MassMailDoc, 'createdAt' | 'updatedAt'>;
export type NewRecipient = Omit<MassMailRecipientDoc, 'createdAt' | 'updatedAt'>;

@Injectable()
export class MassMailsRepository extends MutableRepository<MassMailDoc> {
  constructor(@InjectModel(MassMailEntity.name) model: Model<MassMailDoc>) {
    super(model);
  }

  add(doc: NewMassMail): Promise<MassMailDoc> {
    return this.insert(doc);
  }

  findById(id: string): Promise<MassMailDoc | null> {
    return this.findOneWhere({ _id: id });
  }

  page(page: PageRequest): Promise<Page<MassMailDoc & { createdAt: Date }>> {
    return this.pageWhere({}, page);
  }

  async prepared(id: string, total: number, skipped: number, at: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, status: 'preparing' },
        { $set: { status: 'sending', total, skipped, preparedAt: at } },
      )
      .exec();
  }

  async done(id: string, at: Date): Promise<void> {
    await this.model
      .updateOne({ _id: id, status: 'sending' }, { $set: { status: 'done', doneAt: at } })
      .exec();
  }
}

@Injectable()
export class MassMailRecipientsRepository extends MutableRepository<MassMailRecipientDoc> {
  constructor(@InjectModel(MassMailRecipientEntity.name) model: Model<MassMailRecipientDoc>) {
    super(model);
  }

  /** Adds recipients; ones listed already (a rerun of the preparation) are skipped. */
  async addMany(docs: NewRecipient[]): Promise<void> {
    if (!docs.length) return;
    duplicatesOnly(await insertMany(this.model, docs, { ordered: false }));
  }

  count(massMailId: string, state?: RecipientState): Promise<number> {
    return this.countWhere(state ? { massMailId, state } : { massMailId });
  }

  next(massMailId: string, state: RecipientState, limit: number): Promise<MassMailRecipientDoc[]> {
    return this.findWhere({ massMailId, state }, { sort: { seq: 1 }, limit });
  }

  async setState(ids: string[], from: RecipientState, to: RecipientState): Promise<void> {
    if (!ids.length) return;
    await this.model.updateMany({ _id: { $in: ids }, state: from }, { $set: { state: to } }).exec();
  }
}
