import { Injectable } from '@nestjs/common';
import { CacheService } from '../../infrastructure/cache/cache.service';
import { Clock } from '../../infrastructure/clock/clock';
import { FieldCrypto } from '../../infrastructure/crypto/field-crypto';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import type { PlatformRole } from '../../common/auth/roles';
import { RequestContext } from '../../common/context/request-context';
import { normalizePersonnummer } from '../../common/validation/luhn';
import { AuditAction } from '../audit/audit-action';
import { diffFields } from '../audit/audit.diff';
import { AuditService } from '../audit/audit.service';
import { mergePreferences, type Preferences, type PreferencesPatch } from './preferences';
import type {
  NewUserAccount,
  PendingRegistration,
  UserAccount,
  UserAccounts,
  UserRecord,
  UsersDirectory,
} from './users.contract';
import { UsersError } from './users.errors';
import { UsersRepository, type UserSearch } from './users.repository';
import type { UserDoc } from './users.schema';
import { notFound } from '../../common/errors/domain-error';
import type { Taken } from '../../infrastructure/mongo/unique';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: PlatformRole;
  emailVerified: boolean;
  preferences: Preferences;
  defaultOrganizationId: string | null;
  personalIdentityNumber: string | null;
  createdAt: Date;
}

export interface AdminUserView extends Omit<UserView, 'preferences' | 'personalIdentityNumber'> {
  isDeleted: boolean;
  deletedAt: Date | null;
  deletedBy: string | null;
}

/** The fields of `UserRecord` (users.contract.ts) out of a stored user: what may be cached. */
const userRecord = (u: UserRecord): UserRecord => ({
  _id: u._id,
  email: u.email,
  name: u.name,
  role: u.role,
  emailVerified: u.emailVerified,
  preferences: u.preferences,
  defaultOrganizationId: u.defaultOrganizationId,
  isDeleted: u.isDeleted,
  createdAt: u.createdAt,
});

const pinAad = (userId: string) => `users.${userId}.personalIdentityNumber`;

/** Also the users module's ports (`users.contract.ts`): `USERS` for every module, `USER_ACCOUNTS` for auth. */
@Injectable()
export class UsersService implements UsersDirectory, UserAccounts {
  constructor(
    private readonly users: UsersRepository,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
    private readonly cache: CacheService,
  ) {}

  /** `personalIdentityNumberEnc` left out (a record from the ports) reads as none. */
  view(user: UserRecord & { personalIdentityNumberEnc?: string | null }): UserView {
    return {
      id: user._id,
      email: user.email,
      name: user.name,
      role: user.role,
      emailVerified: user.emailVerified,
      preferences: user.preferences,
      defaultOrganizationId: user.defaultOrganizationId,
      personalIdentityNumber: user.personalIdentityNumberEnc
        ? this.crypto.decrypt(user.personalIdentityNumberEnc, pinAad(user._id))
        : null,
      createdAt: user.createdAt,
    };
  }

  async get(userId: string): Promise<UserDoc> {
    const user = await this.users.findById(userId);
    if (!user) throw notFound('user');
    return user;
  }

  // ---- UsersDirectory (users.contract.ts) ----

  /**
   * Cached per user until the user record changes (docs/cache.md): notifications and reminders read every
   * recipient's language and preferences. Only the `UserRecord` fields are cached, never the password hash.
   */
  findById(id: string): Promise<UserRecord | null> {
    return this.cache.read({ name: 'users.record', reads: ['users'], scope: id }, async () => {
      const user = await this.users.findById(id);
      return user ? userRecord(user) : null;
    });
  }

  findByEmail(email: string, options: { withDeleted?: boolean } = {}): Promise<UserRecord | null> {
    return this.users.findByEmail(email, options);
  }

  findManyByIds(ids: string[]): Promise<UserRecord[]> {
    return this.users.findManyByIds(ids);
  }

  async searchByEmail(email: string, limit: number): Promise<UserRecord[]> {
    return (await this.users.search({ email, deleted: false }, { limit })).items;
  }

  // ---- UserAccounts (users.contract.ts), for the auth module ----

  findAccountById(id: string): Promise<UserAccount | null> {
    return this.users.findById(id);
  }

  findAccountByEmail(email: string, options: { withDeleted?: boolean } = {}): Promise<UserAccount | null> {
    return this.users.findByEmail(email, options);
  }

  createAccount(account: NewUserAccount): Promise<UserAccount | Taken> {
    return this.users.create({
      ...account,
      role: 'user',
      emailVerified: false,
      defaultOrganizationId: null,
      personalIdentityNumberEnc: null,
      tokenVersion: 0,
    });
  }

  replacePendingRegistration(id: string, pending: PendingRegistration): Promise<UserAccount | null> {
    return this.users.replacePendingRegistration(id, pending);
  }

  async markEmailVerified(id: string, passwordHash: string, role: PlatformRole): Promise<UserAccount | null> {
    return (await this.users.markVerified(id, passwordHash, role))?.after ?? null;
  }

  replacePassword(id: string, passwordHash: string): Promise<UserAccount | null> {
    return this.users.setPassword(id, passwordHash);
  }

  setDefaultOrganization(id: string, organizationId: string): Promise<UserAccount | null> {
    return this.users.setDefaultOrganization(id, organizationId);
  }

  // ---- the user's own account ----

  async updateProfile(
    userId: string,
    patch: { name?: string; personalIdentityNumber?: string | null },
  ): Promise<UserView> {
    const profile: { name?: string; personalIdentityNumberEnc?: string | null } = {};
    if (patch.name !== undefined) profile.name = patch.name;
    if (patch.personalIdentityNumber === null) profile.personalIdentityNumberEnc = null;
    if (typeof patch.personalIdentityNumber === 'string') {
      const normalized = normalizePersonnummer(patch.personalIdentityNumber);
      if (!normalized) throw new UsersError('INVALID_PERSONAL_IDENTITY_NUMBER');
      profile.personalIdentityNumberEnc = this.crypto.encrypt(normalized, pinAad(userId));
    }
    const result = await this.users.updateProfile(userId, profile);
    if (!result) throw notFound('user');
    const changes = diffFields(result.before, result.after, ['name']);
    if ('personalIdentityNumber' in patch) {
      // never the number itself in the audit trail
      changes.before.personalIdentityNumber = result.before.personalIdentityNumberEnc ? 'set' : null;
      changes.after.personalIdentityNumber = result.after.personalIdentityNumberEnc ? 'set' : null;
    }
    await this.audit.record({
      action: AuditAction.UserUpdated,
      organizationId: result.after.defaultOrganizationId,
      targetType: 'user',
      targetId: userId,
      changes,
    });
    return this.view(result.after);
  }

  async updatePreferences(userId: string, patch: PreferencesPatch): Promise<Preferences> {
    const user = await this.get(userId);
    const preferences = mergePreferences(user.preferences, patch);
    const result = await this.users.setPreferences(userId, preferences);
    if (!result) throw notFound('user');
    await this.audit.record({
      action: AuditAction.UserPreferencesUpdated,
      organizationId: user.defaultOrganizationId,
      targetType: 'user',
      targetId: userId,
      changes: { before: { preferences: user.preferences }, after: { preferences } },
    });
    return preferences;
  }

  // ---- platform admin ----

  adminView(user: UserDoc): AdminUserView {
    const { preferences: _p, personalIdentityNumber: _pin, ...rest } = this.view(user);
    return { ...rest, isDeleted: user.isDeleted, deletedAt: user.deletedAt, deletedBy: user.deletedBy };
  }

  async adminList(search: UserSearch, page: PageRequest): Promise<Page<AdminUserView>> {
    const result = await this.users.search(search, page);
    return { items: result.items.map((u) => this.adminView(u)), nextCursor: result.nextCursor };
  }

  async adminGet(id: string): Promise<AdminUserView> {
    const user = await this.users.findById(id, { withDeleted: true });
    if (!user) throw notFound('user');
    return this.adminView(user);
  }

  async adminSetRole(id: string, role: PlatformRole): Promise<AdminUserView> {
    this.assertNotSelf(id);
    const result = await this.users.setRole(id, role);
    if (!result) throw notFound('user');
    await this.audit.record({
      action: AuditAction.UserRoleChanged,
      targetType: 'user',
      targetId: id,
      changes: diffFields(result.before, result.after, ['role']),
    });
    return this.adminView(result.after);
  }

  /** Soft delete: the account stays (restorable), but can no longer sign in or use its tokens. */
  async adminDelete(id: string): Promise<AdminUserView> {
    this.assertNotSelf(id);
    const deleted = await this.users.softDelete(id, this.context.requireActor().userId, this.clock.now());
    if (!deleted) throw notFound('user');
    await this.audit.record({ action: AuditAction.UserDeleted, targetType: 'user', targetId: id });
    return this.adminView(deleted);
  }

  async adminRestore(id: string): Promise<AdminUserView> {
    const restored = await this.users.restore(id);
    if (!restored) throw notFound('user');
    await this.audit.record({ action: AuditAction.UserRestored, targetType: 'user', targetId: id });
    return this.adminView(restored);
  }

  private assertNotSelf(id: string): void {
    if (this.context.requireActor().userId === id) throw new UsersError('CANNOT_CHANGE_OWN_ROLE');
  }
}
