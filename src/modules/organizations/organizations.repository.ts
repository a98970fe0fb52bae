import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { OrgRole, OrgType } from '../../common/auth/roles';
import { TAKEN, unlessTaken } from '../../infrastructure/mongo/unique';
import { MutableRepository } from '../../infrastructure/mongo/repositories';
import {
  InvitationEntity,
  MembershipEntity,
  membershipId,
  OrganizationEntity,
  type InvitationDoc,
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

  create(invitation: Omit<InvitationDoc, 'createdAt' | 'updatedAt' | 'acceptedAt' | 'acceptedBy'>) {
    return this.insert({ ...invitation, acceptedAt: null, acceptedBy: null });
  }

  findById(id: string): Promise<InvitationDoc | null> {
    return this.findOneWhere({ _id: id });
  }

  markAccepted(id: string, userId: string) {
    return this.updateWhere({ _id: id }, { $set: { acceptedAt: new Date(), acceptedBy: userId } });
  }
}
