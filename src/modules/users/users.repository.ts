import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { MutableRepository, type Filter } from '../../infrastructure/mongo/repositories';
import { unlessTaken, type Taken } from '../../infrastructure/mongo/unique';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import type { PlatformRole } from '../../common/auth/roles';
import type { Preferences } from './preferences';
import type { PendingRegistration } from './users.contract';
import { UserEntity, type UserDoc } from './users.schema';
import { escapeRegex } from '../../infrastructure/mongo/regex';

export interface UserSearch {
  email?: string;
  role?: PlatformRole;
  deleted?: boolean;
}

/** A changed user with the record before the change (for audit diffs). */
export type Changed = { before: UserDoc; after: UserDoc };

/**
 * Users are platform data (not tenant data): one account can belong to many organizations. Every write names its
 * intent; a write whose condition no longer holds (the user is gone, already verified, another registration came
 * in between) resolves `null`.
 */
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

  /** A new registration of an address nobody verified yet replaces the earlier one's name and password. */
  async replacePendingRegistration(id: string, pending: PendingRegistration): Promise<UserDoc | null> {
    const result = await this.updateWhere({ _id: id, emailVerified: false }, { $set: pending });
    return result?.after ?? null;
  }

  /**
   * Verifies the address with the password its owner sets in the verification step; `null` when the address was
   * verified already. (No token version bump: nothing was ever issued to an unverified account.)
   */
  async markVerified(id: string, passwordHash: string, role: PlatformRole): Promise<Changed | null> {
    return this.updateWhere(
      { _id: id, emailVerified: false },
      { $set: { emailVerified: true, role, passwordHash } },
    );
  }

  /** New hash and `tokenVersion + 1` (every access token issued before stops working). */
  async setPassword(id: string, passwordHash: string): Promise<UserDoc | null> {
    const result = await this.updateWhere({ _id: id }, { $set: { passwordHash }, $inc: { tokenVersion: 1 } });
    return result?.after ?? null;
  }

  async setDefaultOrganization(id: string, organizationId: string): Promise<UserDoc | null> {
    return (
      (await this.updateWhere({ _id: id }, { $set: { defaultOrganizationId: organizationId } }))?.after ??
      null
    );
  }

  /** Name and/or the encrypted personal identity number (`null` removes it). */
  updateProfile(
    id: string,
    profile: { name?: string; personalIdentityNumberEnc?: string | null },
  ): Promise<Changed | null> {
    return this.updateWhere({ _id: id }, { $set: profile });
  }

  setPreferences(id: string, preferences: Preferences): Promise<Changed | null> {
    return this.updateWhere({ _id: id }, { $set: { preferences } });
  }

  /** Deleted users too (an admin may change the role of a deleted account before restoring it). */
  setRole(id: string, role: PlatformRole): Promise<Changed | null> {
    return this.updateWhere({ _id: id }, { $set: { role } }, { withDeleted: true });
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
