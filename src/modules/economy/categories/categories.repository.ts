import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { isDuplicateKey, isUniqueViolation } from '../../../infrastructure/mongo/unique';
import { TenantRepository } from '../../../infrastructure/mongo/repositories';
import { SoftDeleteTenantRepository } from '../../../infrastructure/mongo/repositories';
import {
  CategoryEntity,
  CategorySeedEntity,
  type CategoryDoc,
  type CategoryKind,
  type CategorySeedDoc,
} from './categories.schema';

@Injectable()
export class CategoriesRepository extends SoftDeleteTenantRepository<CategoryDoc> {
  constructor(@InjectModel(CategoryEntity.name) model: Model<CategoryDoc>, context: RequestContext) {
    super(model, context);
  }

  /** Every live category of the organization (the tree is walked in TypeScript). */
  all(options: { withDeleted?: boolean } = {}): Promise<CategoryDoc[]> {
    return this.find({}, { sort: { kind: 1, nameKey: 1 }, withDeleted: options.withDeleted });
  }

  /** A live sibling with that name (the unique index's question, asked before an update: see MONGO-COMPAT #4). */
  findSibling(kind: CategoryKind, parentId: string | null, nameKey: string): Promise<CategoryDoc | null> {
    return this.findOneWhere(this.scope({ kind, parentId, nameKey }));
  }

  findRoots(kind?: CategoryKind): Promise<CategoryDoc[]> {
    return this.find(kind ? { parentId: null, kind } : { parentId: null });
  }

  /** The name is taken: by an insert, or by an update that lost a race past `findSibling`. */
  isDuplicate(error: unknown): boolean {
    return isUniqueViolation(error);
  }
}

@Injectable()
export class CategorySeedsRepository extends TenantRepository<CategorySeedDoc> {
  constructor(@InjectModel(CategorySeedEntity.name) model: Model<CategorySeedDoc>, context: RequestContext) {
    super(model, context);
  }

  async exists(): Promise<boolean> {
    return (await this.findById(this.context.requireTenant().organizationId)) !== null;
  }

  /** Records the seeding; false when another request recorded it first. */
  async mark(orgType: string, count: number): Promise<boolean> {
    const organizationId = this.context.requireTenant().organizationId;
    try {
      await this.create({ _id: organizationId, orgType, count });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}
