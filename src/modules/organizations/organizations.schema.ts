import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ORG_ROLES, ORG_TYPES, type OrgRole, type OrgType } from '../../common/auth/roles';
import type { BaseDoc } from '../../infrastructure/mongo/repositories';
import {
  declareCrossTenant,
  softDeletePlugin,
  type SoftDeleteFields,
} from '../../infrastructure/mongo/plugins';

@Schema({ collection: 'organizations', timestamps: true, versionKey: false })
export class OrganizationEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) name!: string;
  @Prop({ type: String, enum: ORG_TYPES, required: true }) type!: OrgType;
  @Prop({ type: String, required: true }) createdBy!: string;
}
export type OrganizationDoc = OrganizationEntity & BaseDoc & SoftDeleteFields;
export const OrganizationSchema = SchemaFactory.createForClass(OrganizationEntity);
OrganizationSchema.plugin(softDeletePlugin);

/** `_id` is `<organizationId>:<userId>`: unique by construction, and the guard's lookup is an `_id` equality. */
@Schema({ collection: 'memberships', timestamps: true, versionKey: false })
export class MembershipEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) organizationId!: string;
  @Prop({ type: String, required: true }) userId!: string;
  @Prop({ type: String, enum: ORG_ROLES, required: true }) role!: OrgRole;
}
export type MembershipDoc = MembershipEntity & BaseDoc;
export const MembershipSchema = SchemaFactory.createForClass(MembershipEntity);
declareCrossTenant(
  MembershipSchema,
  'memberships are what tenancy is resolved from (OrgContextGuard); _id is organizationId:userId',
);
// members of an organization
MembershipSchema.index({ organizationId: 1 });
// organizations of a user (GET /me, GET /organizations)
MembershipSchema.index({ userId: 1 });

export const membershipId = (organizationId: string, userId: string): string => `${organizationId}:${userId}`;

/**
 * Why an invitation stopped being open: `revoked` by an admin; `inviter_removed` / `inviter_demoted` when its
 * inviter left the organization or lost a role that may send it; `inviter_not_allowed` when accepting found that
 * (stored: never rename).
 */
export const INVITATION_REVOKE_REASONS = [
  'revoked',
  'inviter_removed',
  'inviter_demoted',
  'inviter_not_allowed',
] as const;
export type InvitationRevokeReason = (typeof INVITATION_REVOKE_REASONS)[number];

@Schema({ collection: 'invitations', timestamps: true, versionKey: false })
export class InvitationEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) organizationId!: string;
  @Prop({ type: String, required: true }) email!: string;
  @Prop({ type: String, enum: ORG_ROLES, required: true }) role!: OrgRole;
  @Prop({ type: String, required: true }) invitedBy!: string;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) acceptedAt!: Date | null;
  @Prop({ type: String, default: null }) acceptedBy!: string | null;
  /** Set when an admin revoked it or it was cancelled because its inviter lost the right to invite. */
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
  /** The admin who revoked it, or who removed/demoted the inviter; null when accepting found the inviter gone. */
  @Prop({ type: String, default: null }) revokedBy!: string | null;
  @Prop({ type: String, enum: INVITATION_REVOKE_REASONS, default: null })
  revokedReason!: InvitationRevokeReason | null;
}
export type InvitationDoc = InvitationEntity & BaseDoc;
export const InvitationSchema = SchemaFactory.createForClass(InvitationEntity);
declareCrossTenant(
  InvitationSchema,
  'accepted by a user outside the organization; OrganizationsService checks the organization itself',
);
// pending invitations of an organization
InvitationSchema.index({ organizationId: 1, email: 1 });
// the open invitations one member sent (cancelled when they are removed or demoted)
InvitationSchema.index({ organizationId: 1, invitedBy: 1 });
// GET /organizations/:id/invitations: open ones, newest first
InvitationSchema.index({ organizationId: 1, createdAt: -1, _id: -1 });
