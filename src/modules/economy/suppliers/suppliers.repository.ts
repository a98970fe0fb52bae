import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { isUniqueViolation } from '../../../infrastructure/mongo/unique';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository } from '../../../infrastructure/mongo/repositories';
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

  /** The name is taken: by an insert, or by an update that lost a race past `findByNameKey`. */
  isDuplicate(error: unknown): boolean {
    return isUniqueViolation(error);
  }
}
