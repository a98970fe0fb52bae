import type { OrgRole, OrgType } from '../../common/auth/roles';
import type { ScanPosition } from '../../infrastructure/mongo/scan-position';

/**
 * What the organizations module offers other modules beyond OrganizationsService: a read-only directory of all
 * organizations and their owners, for the billing module (sign-up trials, the admin portal, notices). The
 * organizations module binds `ORGANIZATIONS_DIRECTORY` to OrganizationsDirectoryRepository (read-only queries,
 * nothing for a service to add); consumers inject the token and depend on this file's shapes only. Platform-wide reads (no tenant scope). No call raises an error of its own:
 * a missing organization is `null` (or left out). FerretDB has no `$lookup`: callers join in TypeScript over
 * bounded batches.
 */

export type { ScanPosition };

export interface OrganizationRecord {
  _id: string;
  name: string;
  type: OrgType;
  createdBy: string;
  createdAt: Date;
}

export interface OwnerMembership {
  organizationId: string;
  userId: string;
  role: OrgRole;
  createdAt: Date;
}

export interface OrganizationsDirectory {
  findOrganization(id: string): Promise<OrganizationRecord | null>;
  findOrganizations(ids: string[]): Promise<OrganizationRecord[]>;
  countOrganizations(): Promise<number>;
  /** Ids of organizations created at or after `since`, oldest first, at most `limit`. */
  organizationIdsCreatedSince(since: Date, limit: number): Promise<{ _id: string; createdAt: Date }[]>;
  /** Organizations in `createdAt` or `name` order after a position; optional name pattern and id set (either). */
  page(
    field: 'createdAt' | 'name',
    direction: 1 | -1,
    position: ScanPosition | null,
    limit: number,
    search: { namePattern: string | null; ids: string[] | null },
  ): Promise<OrganizationRecord[]>;
  /** Ids of organizations whose name matches the (escaped, case-insensitive) pattern, at most `limit`. */
  idsByName(namePattern: string, limit: number): Promise<string[]>;
  /** Owner memberships of these organizations, oldest first. */
  ownersOf(organizationIds: string[]): Promise<OwnerMembership[]>;
  /** Organizations these users own. */
  ownedBy(userIds: string[]): Promise<string[]>;
}

export const ORGANIZATIONS_DIRECTORY = Symbol('OrganizationsDirectory');
