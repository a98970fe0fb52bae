import { Inject, Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { InvitationError } from '../../../common/errors/invitation-errors';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { Clock } from '../../../infrastructure/clock/clock';
import { MailService } from '../../../infrastructure/mail/mail.service';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import {
  OneTimeTokensService,
  randomToken,
  sha256,
} from '../../../infrastructure/tokens/one-time-tokens.service';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import { BillingInvitationsRepository } from './invitations.repository';
import type { BillingInvitationDoc } from './invitations.schema';
import { BillingService, type BillingView } from '../accounts/accounts.service';
import { ManualBillingProvider, type ManualCommand } from '../providers/manual.provider';

/** How long an admin's invitation can be accepted. */
export const INVITATION_VALID_DAYS = 30;

export interface BillingInvitationView {
  id: string;
  email: string;
  plan: 'pro' | 'trial';
  expiresAt: Date;
  /** An account with this email existed when it was sent (the mail asked to sign in and accept, not to register). */
  existingCustomer: boolean;
}

/**
 * Admin invitations `{email, plan}`: the plan applies at once on acceptance (Pro is invoiced afterwards).
 * - Existing customer: the mail asks them to sign in and accept with the token (`POST /billing/invitations/accept`);
 *   the organization they accept in (their own by default, or X-Organization-Id, as owner or admin) gets the plan.
 * - New customer: the mail asks them to register with that address. When the address is verified (AuthService calls
 *   `onEmailVerified`), their new household gets the plan — or they accept with the token, as above.
 * The token is single-use (spent by a unique insert) and expires after INVITATION_VALID_DAYS.
 */
@Injectable()
export class BillingInvitationsService {
  private readonly logger = new Logger(BillingInvitationsService.name);

  constructor(
    private readonly invitations: BillingInvitationsRepository,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly tokens: OneTimeTokensService,
    private readonly ids: GlobalIdService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly billing: BillingService,
    private readonly manual: ManualBillingProvider,
    private readonly context: RequestContext,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(email: string, plan: 'pro' | 'trial'): Promise<BillingInvitationView> {
    const actor = this.context.requireActor();
    const now = this.clock.now();
    // Only an account whose owner verified the address is an existing customer: an unverified registration may be
    // anyone's (its password is set when the owner verifies), so that invitee is told to register.
    const found = await this.users.findByEmail(email);
    const existing = found?.emailVerified ? found : null;
    const token = randomToken();
    const invitation = await this.invitations.create({
      _id: await this.ids.getNextGlobalId(),
      email,
      plan,
      tokenHash: sha256(token),
      invitedBy: actor.userId,
      expiresAt: new Date(now.getTime() + INVITATION_VALID_DAYS * 24 * 3600 * 1000),
      acceptedAt: null,
      acceptedBy: null,
      organizationId: null,
    });
    const base = this.config.http.publicUrl;
    const link = existing
      ? `${base}/billing/invitations/accept?token=${token}`
      : `${base}/register?email=${encodeURIComponent(email)}&billingInvitation=${token}`;
    await this.mail.send(email, 'billing-invitation', existing?.preferences.ui.locale ?? 'sv', {
      plan,
      link,
      token,
      existing: String(existing !== null),
      validDays: String(INVITATION_VALID_DAYS),
    });
    await this.audit.record({
      action: AuditAction.BillingInvitationCreated,
      organizationId: null,
      targetType: 'billing_invitation',
      targetId: invitation._id,
      metadata: { email, plan, existingCustomer: existing !== null },
    });
    return {
      id: invitation._id,
      email,
      plan,
      expiresAt: invitation.expiresAt,
      existingCustomer: existing !== null,
    };
  }

  /** The signed-in invitee accepts for the organization of the request (they are its owner or admin). */
  async accept(token: string): Promise<BillingView> {
    const actor = this.context.requireActor();
    const { organizationId } = this.context.requireTenant();
    const user = await this.users.findById(actor.userId);
    const invitation = await this.invitations.findByTokenHash(sha256(token));
    if (
      !user?.emailVerified ||
      !invitation ||
      invitation.acceptedAt ||
      invitation.expiresAt <= this.clock.now()
    ) {
      throw new InvitationError('INVITATION_INVALID');
    }
    if (invitation.email !== user.email) throw new InvitationError('INVITATION_EMAIL_MISMATCH');
    await this.applyInvitation(invitation, user._id, organizationId, 'accepted');
    return this.billing.view(organizationId);
  }

  /**
   * Called by AuthService right after an address is verified: a pending invitation to that address applies to the
   * user's own household. Never throws (the verification itself succeeded); a failure is logged and the invitee can
   * still accept with the mailed token.
   */
  async onEmailVerified(userId: string): Promise<void> {
    try {
      const user = await this.users.findById(userId);
      // only an account its owner controls: verified (which is also when its password was set)
      if (!user?.emailVerified || !user.defaultOrganizationId) return;
      const [newest] = await this.invitations.pendingFor(user.email, this.clock.now());
      if (newest) await this.applyInvitation(newest, user._id, user.defaultOrganizationId, 'email_verified');
    } catch (error) {
      this.logger.error(
        { err: error, userId },
        'Could not apply a billing invitation after email verification',
      );
    }
  }

  private async applyInvitation(
    invitation: BillingInvitationDoc,
    userId: string,
    organizationId: string,
    how: 'accepted' | 'email_verified',
  ): Promise<void> {
    // Spending is a unique insert: of two racing acceptances (verify hook and accept) exactly one goes on.
    if (!(await this.tokens.spend(`billing-invitation:${invitation.tokenHash}`)))
      throw new InvitationError('INVITATION_INVALID');
    const now = this.clock.now();
    await this.invitations.markAccepted(invitation._id, userId, organizationId, now);
    // Other pending invitations to the same address are used up too: one invitation, one organization.
    for (const other of await this.invitations.pendingFor(invitation.email, now)) {
      if (await this.tokens.spend(`billing-invitation:${other.tokenHash}`)) {
        await this.invitations.markAccepted(other._id, userId, organizationId, now);
      }
    }
    const reason = `Admin invitation ${invitation._id} ${how === 'accepted' ? 'accepted' : 'applied when the address was verified'}`;
    const policy = await this.billing.policy();
    const current = await this.billing.accessOf(organizationId);
    let command: ManualCommand | null;
    if (invitation.plan === 'pro') {
      command = { type: 'grant_pro', organizationId, periodEnd: null, reason };
    } else {
      // a trial never replaces Pro
      command =
        current.state.plan === 'pro'
          ? null
          : { type: 'grant_trial', organizationId, days: policy.trialDays, reason };
    }
    if (command) {
      await this.billing.apply(organizationId, this.manual.interpret(command), 'manual', {
        actorId: userId,
        trigger: 'invitation',
        metadata: { invitationId: invitation._id },
      });
    }
    await this.audit.record({
      action: AuditAction.BillingInvitationAccepted,
      organizationId,
      actorId: userId,
      targetType: 'billing_invitation',
      targetId: invitation._id,
      metadata: { plan: invitation.plan, how, invitedBy: invitation.invitedBy, applied: command !== null },
    });
  }
}
