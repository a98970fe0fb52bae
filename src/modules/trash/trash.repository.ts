import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../common/context/request-context';
import { deleteByIds } from '../../infrastructure/mongo/bulk-writes';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import { isDuplicateKey } from '../../infrastructure/mongo/unique';
import { CrossTenantReason, TenantRepository } from '../../infrastructure/mongo/repositories';
import { TrashItemEntity, type TrashItemDoc } from './trash.schema';

export type NewTrashItem = Omit<TrashItemDoc, 'organizationId' | 'createdAt' | 'updatedAt'>;

/** A due item as the retention job sees it: which organization to act in, and which record. */
export interface DueTrashItem {
  _id: string;
  organizationId: string;
}

@Injectable()
export class TrashRepository extends TenantRepository<TrashItemDoc> {
  constructor(@InjectModel(TrashItemEntity.name) model: Model<TrashItemDoc>, context: RequestContext) {
    super(model, context);
  }

  /**
   * Writes (or rewrites, when a previous delete of the same record stopped half-way) the item of a deleted record.
   * Written *before* the record is soft-deleted: a crash in between leaves an item whose record is still live,
   * which restore and purge both handle, never a deleted record that no trash list shows.
   * False when a concurrent delete of the same record inserted the item first (the upsert's insert lost the race).
   */
  async put(item: NewTrashItem): Promise<boolean> {
    const { _id, ...fields } = item;
    const filter = this.scope({ _id });
    try {
      await this.model
        .updateOne(
          filter,
          { $set: { ...fields, createdAt: item.deletedAt, updatedAt: item.deletedAt } },
          { upsert: true },
        )
        .exec();
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  list(filter: { type?: string }, page: PageRequest): Promise<Page<TrashItemDoc>> {
    return this.page(filter.type ? { type: filter.type } : {}, page);
  }

  /** Is this record in the trash, on its own or as part of another record's delete? */
  async contains(id: string): Promise<boolean> {
    const hits = await this.find({ $or: [{ _id: id }, { cascadedIds: id }] }, { limit: 1 });
    return hits.length > 0;
  }

  async remove(ids: string[]): Promise<void> {
    await deleteByIds(this.model, this.scope(), ids);
  }

  /**
   * Items past their purge time in every organization, oldest due first: only ids and organizations; each item is
   * then purged inside its own organization's context through the tenant-scoped paths.
   */
  async dueAcrossOrganizations(now: Date, limit: number): Promise<DueTrashItem[]> {
    const rows = await this.acrossTenants(CrossTenantReason.TrashRetention, (collection) =>
      collection
        .find({ purgeAt: { $lte: now } }, { projection: { _id: 1, organizationId: 1 } })
        .sort({ purgeAt: 1, _id: 1 })
        .limit(limit)
        .toArray(),
    );
    return rows.map((row) => ({ _id: String(row._id), organizationId: String(row.organizationId) }));
  }
}
