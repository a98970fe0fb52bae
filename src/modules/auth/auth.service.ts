import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { RequestContext } from '../../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MailService } from '../../infrastructure/mail/mail.service';
import { GlobalIdService } from '../../infrastructure/mongo/global-id.service';
import { TAKEN } from '../../infrastructure/mongo/unique';
import {
  OneTimeTokensService,
  randomToken,
  sha256,
} from '../../infrastructure/tokens/one-time-tokens.service';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { BillingInvitationsService } from '../billing/invitations/invitations.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { DEFAULT_PREFERENCES } from '../users/preferences';
import { USER_ACCOUNTS, type UserAccount, type UserAccounts } from '../users/users.contract';
import { UsersService, type UserView } from '../users/users.service';
import { AuthError } from './auth.errors';
import type { TokenPair } from './auth.dto';
import { AuthRepository } from './auth.repository';
import { hashPassword, verifyPassword } from './password';

const VERIFY_TTL_MS = 24 * 3600 * 1000;
const RESET_TTL_MS = 3600 * 1000;

export interface AccessTokenPayload {
  sub: string;
  tv: number;
}

@Injectable()
export class AuthService implements OnModuleInit {
  /** Compared against when the email is unknown, so that answer takes as long as a wrong password. */
  private dummyHash = '';

  constructor(
    @Inject(USER_ACCOUNTS) private readonly users: UserAccounts,
    private readonly usersService: UsersService,
    private readonly organizations: OrganizationsService,
    private readonly repository: AuthRepository,
    private readonly tokens: OneTimeTokensService,
    private readonly jwt: JwtService,
    private readonly ids: GlobalIdService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly billingInvitations: BillingInvitationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashPassword(randomToken(), this.config.auth.bcryptCost);
  }

  async register(email: string, password: string, name: string): Promise<UserView> {
    if (await this.users.findAccountByEmail(email, { withDeleted: true })) throw new AuthError('EMAIL_TAKEN');
    const id = await this.ids.getNextGlobalId();
    const created = await this.users.createAccount({
      _id: id,
      email,
      name,
      passwordHash: await hashPassword(password, this.config.auth.bcryptCost),
      preferences: DEFAULT_PREFERENCES,
    });
    if (created === TAKEN) throw new AuthError('EMAIL_TAKEN');
    const user = await this.ensurePersonalOrganization(created);
    await this.audit.record({
      action: AuditAction.AuthRegister,
      organizationId: user.defaultOrganizationId,
      actorId: user._id,
      targetType: 'user',
      targetId: user._id,
    });
    await this.sendVerification(user);
    return this.usersService.view(user);
  }

  async verifyEmail(token: string): Promise<{ verified: true }> {
    const userId = await this.tokens.consume('verify-email', token);
    if (!userId) throw new AuthError('INVALID_TOKEN');
    const user = await this.users.findAccountById(userId);
    if (!user) throw new AuthError('INVALID_TOKEN');
    const role = this.config.auth.adminEmails.includes(user.email) ? 'admin' : user.role;
    await this.users.markEmailVerified(userId, role);
    await this.audit.record({
      action: AuditAction.AuthEmailVerified,
      organizationId: user.defaultOrganizationId,
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      changes: { before: { emailVerified: false, role: user.role }, after: { emailVerified: true, role } },
    });
    // A platform admin's billing invitation to this address applies to the new household now (never throws).
    await this.billingInvitations.onEmailVerified(userId);
    return { verified: true };
  }

  /** Always accepted (202): whether the address has an account is not revealed. */
  async resendVerification(email: string): Promise<void> {
    const user = await this.users.findAccountByEmail(email);
    if (user && !user.emailVerified) await this.sendVerification(user);
  }

  async login(email: string, password: string): Promise<TokenPair> {
    const user = await this.users.findAccountByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? this.dummyHash);
    if (!user || !ok) {
      await this.audit.record({
        action: AuditAction.AuthLoginFailed,
        organizationId: user?.defaultOrganizationId ?? null,
        actorId: user?._id ?? null,
        targetType: 'user',
        targetId: user?._id,
        metadata: { email },
      });
      throw new AuthError('INVALID_CREDENTIALS');
    }
    if (!user.emailVerified) throw new AuthError('EMAIL_NOT_VERIFIED');
    const ready = await this.ensurePersonalOrganization(user);
    const pair = await this.issueTokens(ready, randomUUID());
    await this.audit.record({
      action: AuditAction.AuthLogin,
      organizationId: ready.defaultOrganizationId,
      actorId: user._id,
      targetType: 'user',
      targetId: user._id,
    });
    return pair;
  }

  /**
   * Rotation: each refresh token works once. Spending is a unique insert, so of two racing requests with the same
   * token exactly one wins; presenting a spent token again revokes the whole family (it may have been stolen).
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const stored = await this.findRefreshToken(refreshToken);
    if (!(await this.tokens.spend(`rt:${stored._id}`))) {
      await this.repository.revokeFamily(stored.familyId);
      const user = await this.users.findAccountById(stored.userId);
      await this.audit.record({
        action: AuditAction.AuthRefreshReused,
        organizationId: user?.defaultOrganizationId ?? null,
        actorId: stored.userId,
        targetType: 'user',
        targetId: stored.userId,
        metadata: { familyId: stored.familyId },
      });
      throw new AuthError('REFRESH_TOKEN_REUSED');
    }
    if (stored.revokedAt || stored.expiresAt.getTime() <= Date.now())
      throw new AuthError('INVALID_REFRESH_TOKEN');
    const user = await this.users.findAccountById(stored.userId);
    if (!user) throw new AuthError('INVALID_REFRESH_TOKEN');
    return this.issueTokens(user, stored.familyId);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.findRefreshToken(refreshToken).catch(() => null);
    if (!stored) return;
    await this.repository.revokeFamily(stored.familyId);
    const user = await this.users.findAccountById(stored.userId);
    await this.audit.record({
      action: AuditAction.AuthLogout,
      organizationId: user?.defaultOrganizationId ?? null,
      actorId: stored.userId,
      targetType: 'user',
      targetId: stored.userId,
    });
  }

  /** Always accepted (202); mails a 1-hour single-use token only when the account exists. */
  async forgotPassword(email: string): Promise<void> {
    const user = await this.users.findAccountByEmail(email);
    if (!user) return;
    const token = await this.tokens.issue('reset-password', user._id, RESET_TTL_MS);
    await this.mail.send(user.email, 'reset-password', user.preferences.ui.locale, {
      name: user.name,
      token,
      link: `${this.config.http.publicUrl}/reset-password?token=${token}`,
    });
    await this.audit.record({
      action: AuditAction.AuthPasswordResetRequested,
      organizationId: user.defaultOrganizationId,
      actorId: user._id,
      targetType: 'user',
      targetId: user._id,
    });
  }

  async resetPassword(token: string, password: string): Promise<{ reset: true }> {
    const userId = await this.tokens.consume('reset-password', token);
    const user = userId ? await this.users.findAccountById(userId) : null;
    if (!user) throw new AuthError('INVALID_TOKEN');
    await this.setPassword(user, password);
    await this.audit.record({
      action: AuditAction.AuthPasswordReset,
      organizationId: user.defaultOrganizationId,
      actorId: user._id,
      targetType: 'user',
      targetId: user._id,
    });
    return { reset: true };
  }

  /** Ends every session (including this one) and hands back a fresh pair so the caller stays signed in. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<TokenPair> {
    const user = await this.users.findAccountById(userId);
    if (!user) throw new AuthError('INVALID_CREDENTIALS');
    if (!(await verifyPassword(currentPassword, user.passwordHash)))
      throw new AuthError('INVALID_CURRENT_PASSWORD');
    const updated = await this.setPassword(user, newPassword);
    await this.audit.record({
      action: AuditAction.AuthPasswordChanged,
      organizationId: user.defaultOrganizationId,
      targetType: 'user',
      targetId: user._id,
    });
    return this.issueTokens(updated, randomUUID());
  }

  private async setPassword(user: UserAccount, password: string): Promise<UserAccount> {
    const updated = await this.users.replacePassword(
      user,
      await hashPassword(password, this.config.auth.bcryptCost),
    );
    await this.repository.revokeAllForUser(user._id);
    return updated ?? user;
  }

  private async sendVerification(user: UserAccount): Promise<void> {
    const token = await this.tokens.issue('verify-email', user._id, VERIFY_TTL_MS);
    await this.mail.send(user.email, 'verify-email', user.preferences.ui.locale, {
      name: user.name,
      token,
      link: `${this.config.http.publicUrl}/verify-email?token=${token}`,
    });
  }

  /** Sign-up creates the household; if a crash left a user without one, the next sign-in completes it. */
  private async ensurePersonalOrganization(user: UserAccount): Promise<UserAccount> {
    if (user.defaultOrganizationId) return user;
    const org = await this.organizations.create(user._id, `${user.name} – hushåll`, 'household');
    const updated = await this.users.setDefaultOrganization(user._id, org.id);
    return updated ?? { ...user, defaultOrganizationId: org.id };
  }

  private async issueTokens(user: UserAccount, familyId: string): Promise<TokenPair> {
    const payload: AccessTokenPayload = { sub: user._id, tv: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(payload);
    const id = randomUUID();
    const secret = randomToken();
    await this.repository.createRefreshToken({
      _id: id,
      userId: user._id,
      familyId,
      secretHash: sha256(secret),
      expiresAt: new Date(Date.now() + this.config.auth.refreshTtlDays * 24 * 3600 * 1000),
      ip: this.context.ip ?? null,
      userAgent: this.context.userAgent ?? null,
    });
    return {
      accessToken,
      refreshToken: `${id}.${secret}`,
      tokenType: 'Bearer',
      expiresIn: this.config.auth.accessTtlSeconds,
    };
  }

  private async findRefreshToken(refreshToken: string) {
    const [id, secret, ...rest] = refreshToken.split('.');
    const stored = id && secret && !rest.length ? await this.repository.findRefreshToken(id) : null;
    if (!stored || !secret) throw new AuthError('INVALID_REFRESH_TOKEN');
    const expected = Buffer.from(stored.secretHash, 'hex');
    const actual = Buffer.from(sha256(secret), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      throw new AuthError('INVALID_REFRESH_TOKEN');
    }
    return stored;
  }
}
