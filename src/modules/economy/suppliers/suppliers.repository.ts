import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { TAKEN, unlessTaken, type Taken } from '../../../infrastructure/mongo/unique';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository, type NewRecord } from '../../../infrastructure/mongo/repositories';
import { escapeRegex } from '../common/text';
import { SupplierEntity, type SupplierDoc } from './suppliers.schema';

@Injectable()
export class SuppliersRepository extends SoftDeleteTenantRepository<SupplierDoc> {
  constructor(@InjectModel(SupplierEntity.name) model: Model<SupplierDoc>, context: RequestContext) {
    super(model, context);
  }

  /** By name; `q` (already normalized lower-case) matches anywhere in the name or an alias. */
  list(q: string | undefined, page: { cursor?: string; limit: number }): Promise<Page<SupplierDoc>> {
    const filter = q ? { searchKeys: { $regex: escapeRegex(q) } } : {};
    return this.pageSorted(filter, { field: 'nameKey', direction: 1 }, page);
  }

  findByNameKey(nameKey: string): Promise<SupplierDoc | null> {
    return this.findOneWhere(this.scope({ nameKey }));
  }

  findByIds(ids: string[], options: { withDeleted?: boolean } = {}): Promise<SupplierDoc[]> {
    return ids.length
      ? this.find({ _id: { $in: ids } }, { withDeleted: options.withDeleted })
      : Promise.resolve([]);
  }

  all(): Promise<SupplierDoc[]> {
    return this.find({}, { sort: { nameKey: 1 } });
  }

  countByDefaultCategory(categoryId: string): Promise<number> {
    return this.count({ defaultCategoryId: categoryId });
  }

  /** TAKEN when a live supplier already has the name. */
  addSupplier(doc: NewRecord<SupplierDoc>): Promise<SupplierDoc | Taken> {
    return unlessTaken(() => this.add(doc));
  }

  /**
   * Changes a supplier's fields. With a new `nameKey`, TAKEN when another live supplier has it: asked first
   * (FerretDB answers an update that breaks a unique index with code 1, MONGO-COMPAT #4), and caught when a
   * concurrent write wins the race past that question. Null when the supplier is gone.
   */
  async changeSupplier(
    id: string,
    change: SupplierChange,
  ): Promise<{ before: SupplierDoc; after: SupplierDoc } | null | Taken> {
    if (change.nameKey !== undefined) {
      const other = await this.findByNameKey(change.nameKey);
      if (other && other._id !== id) return TAKEN;
    }
    return unlessTaken(() => this.setFields(id, change));
  }

  /** Suppliers whose default category is `from` get `to` (deleted ones too: a restore lands on a live category). */
  replaceDefaultCategory(from: string, to: string): Promise<number> {
    return this.updateMany(
      { defaultCategoryId: from },
      { $set: { defaultCategoryId: to } },
      { withDeleted: true },
    );
  }
}

/** What a supplier update may change (undefined: unchanged). */
export type SupplierChange = Partial<
  Pick<
    SupplierDoc,
    | 'name'
    | 'nameKey'
    | 'aliases'
    | 'searchKeys'
    | 'orgNumber'
    | 'bankgiro'
    | 'plusgiro'
    | 'defaultCategoryId'
    | 'ocrLengthDigit'
  >
>;
