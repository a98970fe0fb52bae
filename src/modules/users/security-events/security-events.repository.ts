import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { deleteByIds } from '../../../infrastructure/mongo/bulk-writes';
import { NEWEST_FIRST, type Page, type PageRequest } from '../../../infrastructure/mongo/pagination';
import { BaseRepository } from '../../../infrastructure/mongo/repositories';
import { SecurityEventEntity, type SecurityEventDoc } from './security-events.schema';

/** Per-user security events: platform data, read and written by user id only. */
@Injectable()
export class SecurityEventsRepository extends BaseRepository<SecurityEventDoc> {
  constructor(@InjectModel(SecurityEventEntity.name) model: Model<SecurityEventDoc>) {
    super(model);
  }

  add(event: Omit<SecurityEventDoc, 'createdAt'>): Promise<SecurityEventDoc> {
    return this.insert(event);
  }

  page(userId: string, page: PageRequest): Promise<Page<SecurityEventDoc>> {
    return this.pageWhere({ userId }, page);
  }

  /** Deletes the user's events beyond the newest `keep` and those created before `olderThan`; the number deleted. */
  async prune(userId: string, keep: number, olderThan: Date): Promise<number> {
    const [beyond, old] = await Promise.all([
      this.model.find({ userId }, { _id: 1 }).sort(NEWEST_FIRST).skip(keep).lean<{ _id: string }[]>().exec(),
      this.model
        .find({ userId, createdAt: { $lt: olderThan } }, { _id: 1 })
        .lean<{ _id: string }[]>()
        .exec(),
    ]);
    const ids = [...new Set([...beyond, ...old].map((e) => e._id))];
    return deleteByIds(this.model, { userId }, ids);
  }
}
