import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, UpdateQuery } from 'mongoose';
import { MutableRepository, type Filter } from '../../infrastructure/mongo/repositories';
import { unlessTaken, type Taken } from '../../infrastructure/mongo/unique';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import type { PlatformRole } from '../../common/auth/roles';
import { UserEntity, type UserDoc } from './users.schema';
import { escapeRegex } from '../../infrastructure/mongo/regex';

export interface UserSearch {
  email?: string;
  role?: PlatformRole;
  deleted?: boolean;
}

/** Users are platform data (not tenant data): one account can belong to many organizations. */
@Injectable()
export class UsersRepository extends MutableRepository<UserDoc> {
  constructor(@InjectModel(UserEntity.name) model: Model<UserDoc>) {
    super(model);
  }

  /** TAKEN when an account with this email exists. */
  create(
    user: Omit<UserDoc, 'createdAt' | 'updatedAt' | 'isDeleted' | 'deletedAt' | 'deletedBy'>,
  ): Promise<UserDoc | Taken> {
    return unlessTaken(() => this.insert(user));
  }

  findById(id: string, options: { withDeleted?: boolean } = {}): Promise<UserDoc | null> {
    return this.findOneWhere({ _id: id }, options);
  }

  findByEmail(email: string, options: { withDeleted?: boolean } = {}): Promise<UserDoc | null> {
    return this.findOneWhere({ email }, options);
  }

  findManyByIds(ids: string[]): Promise<UserDoc[]> {
    return ids.length ? this.findWhere({ _id: { $in: ids } }, { withDeleted: true }) : Promise.resolve([]);
  }

  update(id: string, update: UpdateQuery<UserDoc>, options: { withDeleted?: boolean } = {}) {
    return this.updateWhere({ _id: id }, update, options);
  }

  softDelete(id: string, deletedBy: string, at: Date): Promise<UserDoc | null> {
    return this.softDeleteWhere({ _id: id }, deletedBy, at);
  }

  restore(id: string): Promise<UserDoc | null> {
    return this.restoreWhere({ _id: id });
  }

  /** Admin list. The email filter is a case-insensitive substring on the stored lower-case email (RE2-safe). */
  search(search: UserSearch, page: PageRequest): Promise<Page<UserDoc>> {
    const filter: Filter<UserDoc> = {};
    if (search.email) filter.email = { $regex: escapeRegex(search.email.toLowerCase()) };
    if (search.role) filter.role = search.role;
    if (search.deleted !== undefined) filter.isDeleted = search.deleted;
    return this.pageWhere(filter, page, { withDeleted: true });
  }
}
