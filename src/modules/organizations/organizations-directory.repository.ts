import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { afterPosition, type ScanPosition } from '../../infrastructure/mongo/scan-position';
import {
  MembershipEntity,
  OrganizationEntity,
  type MembershipDoc,
  type OrganizationDoc,
} from './organizations.schema';
import type { OrganizationsDirectory } from './organizations.contract';

/**
 * Read-only view of all organizations and their owners (platform-wide, no tenant scope), behind the
 * `OrganizationsDirectory` port (organizations.contract.ts) that the billing module uses for the admin portal,
 * sign-up trials and notices. FerretDB has no `$lookup`: callers join in TypeScript over bounded batches.
 */
@Injectable()
export class OrganizationsDirectoryRepository implements OrganizationsDirectory {
  constructor(
    @InjectModel(OrganizationEntity.name) private readonly organizations: Model<OrganizationDoc>,
    @InjectModel(MembershipEntity.name) private readonly memberships: Model<MembershipDoc>,
  ) {}

  findOrganization(id: string): Promise<OrganizationDoc | null> {
    return this.organizations.findOne({ _id: id }).lean<OrganizationDoc>().exec();
  }

  findOrganizations(ids: string[]): Promise<OrganizationDoc[]> {
    return ids.length
      ? this.organizations
          .find({ _id: { $in: ids } })
          .lean<OrganizationDoc[]>()
          .exec()
      : Promise.resolve([]);
  }

  countOrganizations(): Promise<number> {
    return this.organizations.countDocuments({}).exec();
  }

  /** Ids of organizations created at or after `since` (sign-up trials under a `trial` policy). */
  async organizationIdsCreatedSince(since: Date, limit: number): Promise<{ _id: string; createdAt: Date }[]> {
    return this.organizations
      .find({ createdAt: { $gte: since } }, { _id: 1, createdAt: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<{ _id: string; createdAt: Date }[]>()
      .exec();
  }

  /** Organizations in `createdAt` or `name` order after a position; optional name pattern and id set (either). */
  page(
    field: 'createdAt' | 'name',
    direction: 1 | -1,
    position: ScanPosition | null,
    limit: number,
    search: { namePattern: string | null; ids: string[] | null },
  ): Promise<OrganizationDoc[]> {
    const filter: FilterQuery<OrganizationDoc> = {
      ...afterPosition(field, direction, position, field === 'createdAt'),
    };
    const either: FilterQuery<OrganizationDoc>[] = [];
    if (search.namePattern) either.push({ name: { $regex: search.namePattern, $options: 'i' } });
    if (search.ids) either.push({ _id: { $in: search.ids } });
    if (either.length) filter.$and = [{ $or: either }];
    return this.organizations
      .find(filter)
      .sort({ [field]: direction, _id: direction })
      .limit(limit)
      .lean<OrganizationDoc[]>()
      .exec();
  }

  /** Ids of organizations whose name matches (bounded), for a search combined with a billing-date sort. */
  async idsByName(namePattern: string, limit: number): Promise<string[]> {
    const rows = await this.organizations
      .find({ name: { $regex: namePattern, $options: 'i' } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    return rows.map((r) => r._id);
  }

  /** Owner memberships of these organizations. */
  ownersOf(organizationIds: string[]): Promise<MembershipDoc[]> {
    return organizationIds.length
      ? this.memberships
          .find({ organizationId: { $in: organizationIds }, role: 'owner' })
          .sort({ createdAt: 1 })
          .lean<MembershipDoc[]>()
          .exec()
      : Promise.resolve([]);
  }

  /** Organizations these users own. */
  async ownedBy(userIds: string[]): Promise<string[]> {
    if (!userIds.length) return [];
    const rows = await this.memberships
      .find({ userId: { $in: userIds }, role: 'owner' }, { organizationId: 1 })
      .lean<{ organizationId: string }[]>()
      .exec();
    return [...new Set(rows.map((r) => r.organizationId))];
  }
}
