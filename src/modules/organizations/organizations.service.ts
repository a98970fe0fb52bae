import { Inject, Injectable } from '@nestjs/common';
import { ORG_ROLE_RANK, ORG_ROLES, type OrgRole, type OrgType } from '../../common/auth/roles';
import { RequestContext } from '../../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MailService } from '../../infrastructure/mail/mail.service';
import { GlobalIdService } from '../../infrastructure/mongo/global-id.service';
import { OneTimeTokensService } from '../../infrastructure/tokens/one-time-tokens.service';
import { AuditAction } from '../audit/audit-action';
import { diffFields } from '../audit/audit.diff';
import { AuditService } from '../audit/audit.service';
import { USERS, type UsersDirectory } from '../users/users.contract';
import { OrganizationsError } from './organizations.errors';
import {
  InvitationsRepository,
  MembershipsRepository,
  OrganizationsRepository,
} from './organizations.repository';
import type {
  InvitationDoc,
  InvitationRevokeReason,
  MembershipDoc,
  OrganizationDoc,
} from './organizations.schema';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import { notFound } from '../../common/errors/domain-error';
import { InvitationError } from '../../common/errors/invitation-errors';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface OrganizationView {
  id: string;
  name: string;
  type: OrgType;
  role: OrgRole;
  createdAt: Date;
}

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  role: OrgRole;
  joinedAt: Date;
}

export interface InvitationView {
  id: string;
  email: string;
  role: OrgRole;
  /** `expired`: past `expiresAt` and never accepted; it can still be revoked (then it leaves the list). */
  status: 'pending' | 'expired';
  invitedBy: { userId: string; name: string | null };
  createdAt: Date;
  expiresAt: Date;
}

/** May someone with `inviterRole` send (or keep open) an invitation granting `role`? The rule of `invite`. */
export const mayInvite = (inviterRole: OrgRole, role: OrgRole): boolean =>
  ORG_ROLE_RANK[inviterRole] >= Math.max(ORG_ROLE_RANK[role], ORG_ROLE_RANK.admin);

const view = (org: OrganizationDoc, role: OrgRole): OrganizationView => ({
  id: org._id,
  name: org.name,
  type: org.type,
  role,
  createdAt: org.createdAt,
});

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly invitations: InvitationsRepository,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly ids: GlobalIdService,
    private readonly tokens: OneTimeTokensService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates an organization with `ownerId` as its owner. Used by sign-up (household) and POST /organizations. */
  async create(ownerId: string, name: string, type: OrgType): Promise<OrganizationView> {
    const org = await this.organizations.create({
      _id: await this.ids.getNextGlobalId(),
      name,
      type,
      createdBy: ownerId,
    });
    await this.memberships.add(org._id, ownerId, 'owner');
    await this.audit.record({
      action: AuditAction.OrganizationCreated,
      organizationId: org._id,
      actorId: ownerId,
      targetType: 'organization',
      targetId: org._id,
      changes: { before: {}, after: { name, type } },
    });
    return view(org, 'owner');
  }

  async listForUser(userId: string): Promise<OrganizationView[]> {
    const memberships = await this.memberships.forUser(userId);
    const orgs = new Map(
      (await this.organizations.findByIds(memberships.map((m) => m.organizationId))).map((o) => [o._id, o]),
    );
    return memberships.flatMap((m) => {
      const org = orgs.get(m.organizationId);
      return org ? [view(org, m.role)] : [];
    });
  }

  /** Membership of a live organization, or null: the guard turns null into the same 404 as a missing record. */
  async membership(organizationId: string, userId: string): Promise<MembershipDoc | null> {
    const membership = await this.memberships.find(organizationId, userId);
    if (!membership) return null;
    return (await this.organizations.findById(organizationId)) ? membership : null;
  }

  async get(organizationId: string): Promise<OrganizationView> {
    const tenant = this.context.requireTenant();
    const org = await this.organizations.findById(organizationId);
    if (!org) throw notFound('organization');
    return view(org, tenant.orgRole);
  }

  async update(organizationId: string, patch: { name?: string; type?: OrgType }): Promise<OrganizationView> {
    const result = await this.organizations.changeDetails(organizationId, patch);
    if (!result) throw notFound('organization');
    await this.audit.record({
      action: AuditAction.OrganizationUpdated,
      organizationId,
      targetType: 'organization',
      targetId: organizationId,
      changes: diffFields(result.before, result.after, ['name', 'type']),
    });
    return view(result.after, this.context.requireTenant().orgRole);
  }

  async members(organizationId: string): Promise<MemberView[]> {
    const memberships = await this.memberships.forOrganization(organizationId);
    const users = new Map(
      (await this.users.findManyByIds(memberships.map((m) => m.userId))).map((u) => [u._id, u]),
    );
    return memberships.flatMap((m) => {
      const user = users.get(m.userId);
      return user && !user.isDeleted
        ? [{ userId: m.userId, name: user.name, email: user.email, role: m.role, joinedAt: m.createdAt }]
        : [];
    });
  }

  async changeRole(organizationId: string, userId: string, role: OrgRole): Promise<MemberView> {
    const target = await this.memberships.find(organizationId, userId);
    if (!target) throw notFound('member');
    this.assertMayManage(target.role, role);
    if (target.role === 'owner' && role !== 'owner') await this.assertNotLastOwner(organizationId);
    const result = await this.memberships.setRole(organizationId, userId, role);
    if (!result) throw notFound('member');
    await this.audit.record({
      action: AuditAction.MemberRoleChanged,
      organizationId,
      targetType: 'user',
      targetId: userId,
      changes: { before: { role: target.role }, after: { role } },
    });
    const noLongerAllowed = ORG_ROLES.filter((r) => !mayInvite(role, r));
    await this.closeInvitationsSentBy(organizationId, userId, noLongerAllowed, 'inviter_demoted');
    const member = (await this.members(organizationId)).find((m) => m.userId === userId);
    if (!member) throw notFound('member');
    return member;
  }

  /** Admins remove members; anyone may leave. The last owner can do neither. */
  async removeMember(organizationId: string, userId: string): Promise<void> {
    const actor = this.context.requireActor();
    const target = await this.memberships.find(organizationId, userId);
    if (!target) throw notFound('member');
    if (userId !== actor.userId) this.assertMayManage(target.role, target.role);
    if (target.role === 'owner') await this.assertNotLastOwner(organizationId);
    await this.memberships.remove(organizationId, userId);
    await this.audit.record({
      action: AuditAction.MemberRemoved,
      organizationId,
      targetType: 'user',
      targetId: userId,
      changes: { before: { role: target.role }, after: {} },
    });
    await this.closeInvitationsSentBy(organizationId, userId, null, 'inviter_removed');
  }

  async invite(
    organizationId: string,
    email: string,
    role: OrgRole,
  ): Promise<{ id: string; email: string; role: OrgRole; expiresAt: Date }> {
    this.assertMayManage(role, role);
    const existing = await this.users.findByEmail(email);
    if (existing && (await this.memberships.find(organizationId, existing._id))) {
      throw new OrganizationsError('ALREADY_MEMBER');
    }
    const actor = this.context.requireActor();
    const [org, inviter] = await Promise.all([
      this.organizations.findById(organizationId),
      this.users.findById(actor.userId),
    ]);
    if (!org || !inviter) throw notFound('organization');
    const invitation = await this.invitations.create({
      _id: await this.ids.getNextGlobalId(),
      organizationId,
      email,
      role,
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    const token = await this.tokens.issue('invitation', invitation._id, INVITATION_TTL_MS);
    await this.mail.send(
      email,
      'invitation',
      existing?.preferences.ui.locale ?? inviter.preferences.ui.locale,
      {
        inviter: inviter.name,
        organization: org.name,
        role,
        token,
        link: `${this.config.http.publicUrl}/invitations/accept?token=${token}`,
      },
      organizationId,
    );
    await this.audit.record({
      action: AuditAction.InvitationCreated,
      organizationId,
      targetType: 'invitation',
      targetId: invitation._id,
      metadata: { email, role },
    });
    return { id: invitation._id, email, role, expiresAt: invitation.expiresAt };
  }

  /** The signed-in user joins with the role of the invitation, if it was sent to their address. */
  async acceptInvitation(token: string): Promise<OrganizationView> {
    const actor = this.context.requireActor();
    const user = await this.users.findById(actor.userId);
    if (!user) throw new InvitationError('INVITATION_INVALID');
    // Check the address before spending the token, so a wrong account does not burn the invitation.
    const pending = await this.peekInvitation(token);
    if (pending.email !== user.email) throw new InvitationError('INVITATION_EMAIL_MISMATCH');
    await this.assertInviterStillMayInvite(pending);
    const invitationId = await this.tokens.consume('invitation', token);
    const invitation = invitationId ? await this.invitations.findById(invitationId) : null;
    const org = invitation ? await this.organizations.findById(invitation.organizationId) : null;
    if (!invitation || !org) throw new InvitationError('INVITATION_INVALID');
    // Claim first: an invitation revoked (or its inviter removed) since the checks above is not accepted.
    if (!(await this.invitations.markAccepted(invitation._id, user._id, new Date()))) {
      throw new InvitationError('INVITATION_INVALID');
    }
    const membership = await this.memberships.add(org._id, user._id, invitation.role);
    await this.audit.record({
      action: AuditAction.InvitationAccepted,
      organizationId: org._id,
      targetType: 'invitation',
      targetId: invitation._id,
      metadata: { role: membership.role },
    });
    return view(org, membership.role);
  }

  private async peekInvitation(token: string) {
    const id = await this.tokens.peek('invitation', token);
    const invitation = id ? await this.invitations.findById(id) : null;
    if (
      !invitation ||
      invitation.acceptedAt ||
      invitation.revokedAt ||
      invitation.expiresAt.getTime() <= Date.now()
    ) {
      throw new InvitationError('INVITATION_INVALID');
    }
    return invitation;
  }

  /**
   * The inviter must still be a member (with a live account) whose role may send this invitation. When not, the
   * invitation is closed (so the admins' list no longer shows it) and accepting answers 400 INVITATION_INVALID.
   */
  private async assertInviterStillMayInvite(invitation: InvitationDoc): Promise<void> {
    const [inviter, account] = await Promise.all([
      this.memberships.find(invitation.organizationId, invitation.invitedBy),
      this.users.findById(invitation.invitedBy), // a deleted account counts as gone (like the member list)
    ]);
    if (inviter && account && mayInvite(inviter.role, invitation.role)) return;
    const closed = await this.invitations.revoke(invitation._id, null, 'inviter_not_allowed', new Date());
    if (closed) await this.auditClosed(closed);
    throw new InvitationError('INVITATION_INVALID', undefined, { reason: 'inviter_no_longer_allowed' });
  }

  /** Open invitations of the organization (neither accepted nor revoked), newest first. Admins and owners. */
  async invitationsOf(organizationId: string, page: PageRequest): Promise<Page<InvitationView>> {
    const result = await this.invitations.pageOpen(organizationId, page);
    const inviters = new Map(
      (await this.users.findManyByIds([...new Set(result.items.map((i) => i.invitedBy))])).map((u) => [
        u._id,
        u,
      ]),
    );
    const now = Date.now();
    return {
      nextCursor: result.nextCursor,
      items: result.items.map((i) => {
        const inviter = inviters.get(i.invitedBy);
        return {
          id: i._id,
          email: i.email,
          role: i.role,
          status: i.expiresAt.getTime() <= now ? 'expired' : 'pending',
          invitedBy: { userId: i.invitedBy, name: inviter && !inviter.isDeleted ? inviter.name : null },
          createdAt: i.createdAt,
          expiresAt: i.expiresAt,
        };
      }),
    };
  }

  /**
   * Revokes an open invitation: its token no longer works. Another organization's, a missing or an already
   * revoked invitation is 404; an accepted one 409 INVITATION_ALREADY_ACCEPTED (remove the member instead). Only
   * owners revoke an invitation to the owner role, like only owners send one.
   */
  async revokeInvitation(organizationId: string, invitationId: string): Promise<void> {
    const actor = this.context.requireActor();
    const invitation = await this.invitations.findInOrganization(organizationId, invitationId);
    if (!invitation || invitation.revokedAt) throw notFound('invitation');
    if (invitation.acceptedAt) throw new OrganizationsError('INVITATION_ALREADY_ACCEPTED');
    this.assertMayManage(invitation.role, invitation.role);
    const revoked = await this.invitations.revoke(invitation._id, actor.userId, 'revoked', new Date());
    if (!revoked) {
      // accepted or revoked by a concurrent request since the read above
      const now = await this.invitations.findInOrganization(organizationId, invitationId);
      if (now?.acceptedAt) throw new OrganizationsError('INVITATION_ALREADY_ACCEPTED');
      throw notFound('invitation');
    }
    await this.auditClosed(revoked);
  }

  /** Closes what a removed or demoted member sent (all, or only the roles they may no longer grant). */
  private async closeInvitationsSentBy(
    organizationId: string,
    invitedBy: string,
    roles: readonly OrgRole[] | null,
    reason: InvitationRevokeReason,
  ): Promise<void> {
    const actor = this.context.requireActor();
    const closed = await this.invitations.revokeSentBy(
      organizationId,
      invitedBy,
      roles,
      actor.userId,
      reason,
      new Date(),
    );
    for (const invitation of closed) await this.auditClosed(invitation);
  }

  private async auditClosed(invitation: InvitationDoc): Promise<void> {
    await this.audit.record({
      action:
        invitation.revokedReason === 'revoked'
          ? AuditAction.InvitationRevoked
          : AuditAction.InvitationCancelled,
      organizationId: invitation.organizationId,
      targetType: 'invitation',
      targetId: invitation._id,
      metadata: {
        email: invitation.email,
        role: invitation.role,
        invitedBy: invitation.invitedBy,
        reason: invitation.revokedReason,
      },
    });
  }

  /** Only owners grant, change or remove the owner role; admins manage admins and below. */
  private assertMayManage(currentRole: OrgRole, newRole: OrgRole): void {
    const actorRole = this.context.requireTenant().orgRole;
    const needed = Math.max(ORG_ROLE_RANK[currentRole], ORG_ROLE_RANK[newRole], ORG_ROLE_RANK.admin);
    if (ORG_ROLE_RANK[actorRole] < needed) throw new OrganizationsError('INSUFFICIENT_ORG_ROLE');
  }

  private async assertNotLastOwner(organizationId: string): Promise<void> {
    if ((await this.memberships.countOwners(organizationId)) <= 1) throw new OrganizationsError('LAST_OWNER');
  }
}
