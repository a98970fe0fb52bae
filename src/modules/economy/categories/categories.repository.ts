import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { isDuplicateKey, TAKEN, unlessTaken, type Taken } from '../../../infrastructure/mongo/unique';
import { TenantRepository } from '../../../infrastructure/mongo/repositories';
import { SoftDeleteTenantRepository, type NewRecord } from '../../../infrastructure/mongo/repositories';
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

  /** TAKEN when a live sibling (same kind and parent) already has the name. */
  addCategory(doc: NewRecord<CategoryDoc>): Promise<CategoryDoc | Taken> {
    return unlessTaken(() => this.add(doc));
  }

  /**
   * Renames, moves (a new `parentId`) or changes the BAS account of a category; the kind never changes. TAKEN when a
   * live sibling at the destination has the name: asked first (FerretDB answers an update that breaks a unique
   * index with code 1, MONGO-COMPAT #4), and caught when a concurrent write wins the race past that question.
   * Null when the category is gone.
   */
  async changeCategory(
    current: Pick<CategoryDoc, '_id' | 'kind' | 'nameKey'>,
    change: { parentId: string | null; name?: { name: string; nameKey: string }; basAccount?: string | null },
  ): Promise<{ before: CategoryDoc; after: CategoryDoc } | null | Taken> {
    const nameKey = change.name?.nameKey ?? current.nameKey;
    const sibling = await this.findSibling(current.kind, change.parentId, nameKey);
    if (sibling && sibling._id !== current._id) return TAKEN;
    const set: Partial<CategoryDoc> = { parentId: change.parentId };
    if (change.name) Object.assign(set, change.name);
    if (change.basAccount !== undefined) set.basAccount = change.basAccount;
    return unlessTaken(() => this.updateById(current._id, { $set: set }));
  }

  /** The direct subcategories of `from` move under `to` (a category being deleted hands them over). */
  reparentChildren(from: string, to: string): Promise<number> {
    return this.updateMany({ parentId: from }, { $set: { parentId: to } });
  }

  /** Restores a category from the trash; TAKEN when a live sibling took its name meanwhile. */
  restoreUnlessTaken(id: string): Promise<CategoryDoc | null | Taken> {
    return unlessTaken(() => this.restoreById(id));
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
