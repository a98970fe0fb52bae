import type { PlatformRole } from '../../common/auth/roles';
import type { Taken } from '../../infrastructure/mongo/unique';
import type { Preferences } from './preferences';

/**
 * What the users module offers other modules. UsersModule binds both tokens to UsersService; consumers inject a
 * token (`@Inject(USERS) users: UsersDirectory`) and depend on this file's shapes only, never on the repository
 * or the schema. Users are platform data: no call depends on the request's organization.
 */

/** A user as other modules read it: no password hash, no encrypted fields. */
export interface UserRecord {
  _id: string;
  /** Lower case. */
  email: string;
  name: string;
  role: PlatformRole;
  emailVerified: boolean;
  preferences: Preferences;
  defaultOrganizationId: string | null;
  isDeleted: boolean;
  createdAt: Date;
}

/** Reads for every module. None of them raises an error of its own: a missing user is `null` (or left out). */
export interface UsersDirectory {
  /** A live (not deleted) user. */
  findById(id: string): Promise<UserRecord | null>;
  /** By lower-case email; deleted users only with `withDeleted`. */
  findByEmail(email: string, options?: { withDeleted?: boolean }): Promise<UserRecord | null>;
  /** These users, deleted ones included (display names and emails for lists); unknown ids are left out. */
  findManyByIds(ids: string[]): Promise<UserRecord[]>;
  /** Live users whose email contains `email` (case-insensitive), newest first, at most `limit`. */
  searchByEmail(email: string, limit: number): Promise<UserRecord[]>;
}

/** A user with what only sign-in needs: the password hash and the access-token version. */
export interface UserAccount extends UserRecord {
  /** Before verification the password given at registration: never accepted for sign-in (see markEmailVerified). */
  passwordHash: string;
  /** Carried in access tokens; bumped with every password change, which invalidates the issued tokens. */
  tokenVersion: number;
}

export interface NewUserAccount {
  _id: string;
  email: string;
  name: string;
  passwordHash: string;
  preferences: Preferences;
}

/** A new registration of an address that is not verified yet: replaces the earlier one's name and password. */
export interface PendingRegistration {
  name: string;
  passwordHash: string;
}

/**
 * Credentials, for the auth module only (sign-up, sign-in, verification, password changes). Raises no error of its
 * own: `createAccount` resolves `TAKEN` (src/infrastructure/mongo/unique.ts) when the email is in use, and the
 * writes resolve `null` when the user no longer exists.
 */
export interface UserAccounts {
  /** A live user with credentials. */
  findAccountById(id: string): Promise<UserAccount | null>;
  findAccountByEmail(email: string, options?: { withDeleted?: boolean }): Promise<UserAccount | null>;
  /** A new `user`, email not verified, no organization, no personal identity number, token version 0. */
  createAccount(account: NewUserAccount): Promise<UserAccount | Taken>;
  /** Replaces name and password of an unverified address's registration; `null` when it was verified meanwhile. */
  replacePendingRegistration(id: string, pending: PendingRegistration): Promise<UserAccount | null>;
  /**
   * Verifies the address and sets the password chosen in the verification step by whoever holds the mailed link;
   * `null` when the address was verified already.
   */
  markEmailVerified(id: string, passwordHash: string, role: PlatformRole): Promise<UserAccount | null>;
  /** New hash and `tokenVersion + 1` (every access token issued before stops working). */
  replacePassword(id: string, passwordHash: string): Promise<UserAccount | null>;
  setDefaultOrganization(id: string, organizationId: string): Promise<UserAccount | null>;
}

export const USERS = Symbol('UsersDirectory');
export const USER_ACCOUNTS = Symbol('UserAccounts');
