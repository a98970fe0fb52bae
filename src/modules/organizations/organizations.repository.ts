import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { OrgRole, OrgType } from '../../common/auth/roles';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import { TAKEN, unlessTaken } from '../../infrastructure/mongo/unique';
import { MutableRepository } from '../../infrastructure/mongo/repositories';
import {
  InvitationEntity,
  MembershipEntity,
  membershipId,
  OrganizationEntity,
  type InvitationDoc,
  type InvitationRevokeReason,
  type MembershipDoc,
  type OrganizationDoc,
} from './organizations.schema';

@Injectable()
export class OrganizationsRepository extends MutableRepository<OrganizationDoc> {
  constructor(@InjectModel(OrganizationEntity.name) model: Model<OrganizationDoc>) {
    super(model);
  }

  create(org: Pick<OrganizationDoc, '_id' | 'name' | 'type' | 'createdBy'>): Promise<OrganizationDoc> {
    return this.insert(org);
  }

  findById(id: string): Promise<OrganizationDoc | null> {
    return this.findOneWhere({ _id: id });
  }

  findByIds(ids: string[]): Promise<OrganizationDoc[]> {
    return ids.length ? this.findWhere({ _id: { $in: ids } }) : Promise.resolve([]);
  }

  /** Changes the name and/or type; the record before and after (for the audit diff), null when missing. */
  changeDetails(id: string, details: { name?: string; type?: OrgType }) {
    return this.updateWhere({ _id: id }, { $set: details });
  }
}

@Injectable()
export class MembershipsRepository extends MutableRepository<MembershipDoc> {
  constructor(@InjectModel(MembershipEntity.name) model: Model<MembershipDoc>) {
    super(model);
  }

  find(organizationId: string, userId: string): Promise<MembershipDoc | null> {
    return this.findOneWhere({ _id: membershipId(organizationId, userId) });
  }

  forUser(userId: string): Promise<MembershipDoc[]> {
    return this.findWhere({ userId }, { sort: { createdAt: 1 } });
  }

  forOrganization(organizationId: string): Promise<MembershipDoc[]> {
    return this.findWhere({ organizationId }, { sort: { createdAt: 1 } });
  }

  countOwners(organizationId: string): Promise<number> {
    return this.countWhere({ organizationId, role: 'owner' });
  }

  /** Idempotent: adding an existing member keeps the existing membership (returns it). */
  async add(organizationId: string, userId: string, role: OrgRole): Promise<MembershipDoc> {
    const added = await unlessTaken(() =>
      this.insert({ _id: membershipId(organizationId, userId), organizationId, userId, role }),
    );
    return added === TAKEN ? ((await this.find(organizationId, userId)) as MembershipDoc) : added;
  }

  setRole(organizationId: string, userId: string, role: OrgRole) {
    return this.updateWhere({ _id: membershipId(organizationId, userId) }, { $set: { role } });
  }

  async remove(organizationId: string, userId: string): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne({ _id: membershipId(organizationId, userId) }).exec();
    return deletedCount === 1;
  }
}

@Injectable()
export class InvitationsRepository extends MutableRepository<InvitationDoc> {
  constructor(@InjectModel(InvitationEntity.name) model: Model<InvitationDoc>) {
    super(model);
  }

  create(
    invitation: Pick<InvitationDoc, '_id' | 'organizationId' | 'email' | 'role' | 'invitedBy' | 'expiresAt'>,
  ) {
    return this.insert({
      ...invitation,
      acceptedAt: null,
      acceptedBy: null,
      revokedAt: null,
      revokedBy: null,
      revokedReason: null,
    });
  }

  findById(id: string): Promise<InvitationDoc | null> {
    return this.findOneWhere({ _id: id });
  }

  /** The invitation when it belongs to `organizationId`; another organization's is null like a missing one. */
  findInOrganization(organizationId: string, id: string): Promise<InvitationDoc | null> {
    return this.findOneWhere({ _id: id, organizationId });
  }

  /** Neither accepted nor revoked (expired ones included), newest first. */
  pageOpen(organizationId: string, page: PageRequest): Promise<Page<InvitationDoc>> {
    return this.pageWhere({ organizationId, acceptedAt: null, revokedAt: null }, page);
  }

  /**
   * Claims an open invitation for `userId`; null when it was accepted or revoked in the meantime (the condition is
   * part of the write, so a revoke and an accept racing cannot both win).
   */
  async markAccepted(id: string, userId: string, at: Date): Promise<InvitationDoc | null> {
    const result = await this.updateWhere(
      { _id: id, acceptedAt: null, revokedAt: null },
      { $set: { acceptedAt: at, acceptedBy: userId } },
    );
    return result?.after ?? null;
  }

  /** Closes an open invitation; null when it was no longer open (accepted or already revoked). */
  async revoke(
    id: string,
    by: string | null,
    reason: InvitationRevokeReason,
    at: Date,
  ): Promise<InvitationDoc | null> {
    const result = await this.updateWhere(
      { _id: id, acceptedAt: null, revokedAt: null },
      { $set: { revokedAt: at, revokedBy: by, revokedReason: reason } },
    );
    return result?.after ?? null;
  }

  /**
   * Closes the open invitations `invitedBy` sent in the organization, only those of `roles` when given; answers
   * the ones it closed.
   */
  async revokeSentBy(
    organizationId: string,
    invitedBy: string,
    roles: readonly OrgRole[] | null,
    by: string | null,
    reason: InvitationRevokeReason,
    at: Date,
  ): Promise<InvitationDoc[]> {
    if (roles && roles.length === 0) return [];
    const open = await this.findWhere({
      organizationId,
      invitedBy,
      acceptedAt: null,
      revokedAt: null,
      ...(roles ? { role: { $in: [...roles] } } : {}),
    });
    const closed: InvitationDoc[] = [];
    for (const invitation of open) {
      const revoked = await this.revoke(invitation._id, by, reason, at);
      if (revoked) closed.push(revoked);
    }
    return closed;
  }
}
