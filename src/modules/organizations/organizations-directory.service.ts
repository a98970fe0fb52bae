import { Injectable } from '@nestjs/common';
import type { ScanPosition } from '../../infrastructure/mongo/scan-position';
import type { OrganizationRecord, OrganizationsDirectory, OwnerMembership } from './organizations.contract';
import { OrganizationsDirectoryRepository } from './organizations-directory.repository';

/** The `ORGANIZATIONS_DIRECTORY` port (organizations.contract.ts): read-only, platform-wide. */
@Injectable()
export class OrganizationsDirectoryService implements OrganizationsDirectory {
  constructor(private readonly directory: OrganizationsDirectoryRepository) {}

  findOrganization(id: string): Promise<OrganizationRecord | null> {
    return this.directory.findOrganization(id);
  }

  findOrganizations(ids: string[]): Promise<OrganizationRecord[]> {
    return this.directory.findOrganizations(ids);
  }

  countOrganizations(): Promise<number> {
    return this.directory.countOrganizations();
  }

  organizationIdsCreatedSince(since: Date, limit: number): Promise<{ _id: string; createdAt: Date }[]> {
    return this.directory.organizationIdsCreatedSince(since, limit);
  }

  page(
    field: 'createdAt' | 'name',
    direction: 1 | -1,
    position: ScanPosition | null,
    limit: number,
    search: { namePattern: string | null; ids: string[] | null },
  ): Promise<OrganizationRecord[]> {
    return this.directory.page(field, direction, position, limit, search);
  }

  idsByName(namePattern: string, limit: number): Promise<string[]> {
    return this.directory.idsByName(namePattern, limit);
  }

  ownersOf(organizationIds: string[]): Promise<OwnerMembership[]> {
    return this.directory.ownersOf(organizationIds);
  }

  ownedBy(userIds: string[]): Promise<string[]> {
    return this.directory.ownedBy(userIds);
  }
}
