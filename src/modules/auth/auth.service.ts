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
import { BillingInvitationsService } from '../billing/invitations/invitations.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { DEFAULT_PREFERENCES } from '../users/preferences';
import { SecurityEventsService } from '../users/security-events/security-events.service';
import { USER_ACCOUNTS, type UserAccount, type UserAccounts } from '../users/users.contract';
import { UsersService, type UserView } from '../users/users.service';
import { AuthLimits } from './auth-limits';
import { AuthError } from './auth.errors';
import type { TokenPair } from './auth.dto';
import { AuthRepository } from './auth.repository';
import { hashPassword, verifyPassword } from './password';

const VERIFY_TTL_MS = 24 * 3600 * 1000;
const RESET_TTL_MS = 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** 429 for a locked (account, client IP) pair; the controller turns `retryAfterSeconds` into `Retry-After`. */
const lockedError = (ms: number) =>
  new AuthError('TOO_MANY_FAILED_LOGINS', undefined, {
    retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
  });

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
    private readonly events: SecurityEventsService,
    private readonly limits: AuthLimits,
    private readonly context: RequestContext,
    private readonly billingInvitations: BillingInvitationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashPassword(randomToken(), this.config.auth.bcryptCost);
  }

  /**
   * A new address gets an account (unverified) and its household. An address registered before but never verified is
   * registered again: the new name and password replace the pending ones (whoever registered first does not block
   * the owner). Either way the password only becomes valid in the verification step, which sets it (verifyEmail).
   */
  async register(email: string, password: string, name: string): Promise<UserView> {
    const existing = await this.users.findAccountByEmail(email, { withDeleted: true });
    if (existing && (existing.emailVerified || existing.isDeleted)) throw new AuthError('EMAIL_TAKEN');
    const passwordHash = await hashPassword(password, this.config.auth.bcryptCost);
    let account: UserAccount;
    if (existing) {
      const replaced = await this.users.replacePendingRegistration(existing._id, { name, passwordHash });
      if (!replaced) throw new AuthError('EMAIL_TAKEN');
      account = replaced;
    } else {
      const created = await this.users.createAccount({
        _id: await this.ids.getNextGlobalId(),
        email,
        name,
        passwordHash,
        preferences: DEFAULT_PREFERENCES,
      });
      if (created === TAKEN) throw new AuthError('EMAIL_TAKEN');
      account = created;
    }
    const user = await this.ensurePersonalOrganization(account);
    await this.events.record(user._id, 'registered', existing ? { again: true } : {});
    await this.sendVerification(user);
    return this.usersService.view(user);
  }

  /**
   * The mailed token proves control of the address, and the password is set here, by whoever holds it: a password
   * given at registration by someone else never becomes valid (issue 10, finding 3).
   */
  async verifyEmail(token: string, password: string): Promise<{ verified: true }> {
    const userId = await this.tokens.consume('verify-email', token);
    const user = userId ? await this.users.findAccountById(userId) : null;
    if (!user || user.emailVerified) throw new AuthError('INVALID_TOKEN');
    const role = this.config.auth.adminEmails.includes(user.email) ? 'admin' : user.role;
    const passwordHash = await hashPassword(password, this.config.auth.bcryptCost);
    const verified = await this.users.markEmailVerified(user._id, passwordHash, role);
    if (!verified) throw new AuthError('INVALID_TOKEN');
    await this.events.record(user._id, 'email_verified', role === user.role ? {} : { role });
    // A platform admin's billing invitation to this address applies to the new household now (never throws).
    await this.billingInvitations.onEmailVerified(user._id);
    return { verified: true };
  }

  /** Always accepted (202): whether the address has an account is not revealed. */
  async resendVerification(email: string): Promise<void> {
    const user = await this.users.findAccountByEmail(email);
    if (user && !user.emailVerified) await this.sendVerification(user);
  }

  /**
   * Failed logins are counted per account and client IP (AuthLimits): a locked pair is refused before the password is
   * looked at; a correct password from any other client is checked as usual. Unknown addresses are counted the same.
   */
  async login(email: string, password: string): Promise<TokenPair> {
    const ip = this.context.ip ?? 'unknown';
    const lockedMs = await this.limits.loginLockedFor(email, ip);
    if (lockedMs > 0) throw lockedError(lockedMs);
    const user = await this.users.findAccountByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? this.dummyHash);
    if (!user || !ok) {
      const lockMs = await this.limits.loginFailed(email, ip);
      if (user) {
        await this.events.record(
          user._id,
          'login_failed',
          lockMs > 0 ? { lockedSeconds: Math.ceil(lockMs / 1000) } : {},
        );
      }
      throw new AuthError('INVALID_CREDENTIALS');
    }
    await this.limits.loginSucceeded(email, ip);
    if (!user.emailVerified) throw new AuthError('EMAIL_NOT_VERIFIED');
    const ready = await this.ensurePersonalOrganization(user);
    const pair = await this.issueTokens(ready, randomUUID());
    await this.events.record(user._id, 'login');
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
      await this.events.record(stored.userId, 'refresh_reused', { familyId: stored.familyId });
      throw new AuthError('REFRESH_TOKEN_REUSED');
    }
    const now = Date.now();
    const familyExpiresAt = this.familyEnd(stored);
    if (stored.revokedAt || stored.expiresAt.getTime() <= now || familyExpiresAt.getTime() <= now)
      throw new AuthError('INVALID_REFRESH_TOKEN');
    const user = await this.users.findAccountById(stored.userId);
    if (!user) throw new AuthError('INVALID_REFRESH_TOKEN');
    return this.issueTokens(user, stored.familyId, familyExpiresAt);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.findRefreshToken(refreshToken).catch(() => null);
    if (!stored) return;
    await this.repository.revokeFamily(stored.familyId);
    await this.events.record(stored.userId, 'logout');
  }

  /**
   * Always accepted (202); mails a 1-hour single-use token only when the account exists and the address has not had
   * MAIL_PER_ADDRESS_PER_HOUR reset mails this hour.
   */
  async forgotPassword(email: string): Promise<void> {
    const user = await this.users.findAccountByEmail(email);
    if (!user || !(await this.limits.mayMail('reset-password', user.email))) return;
    const token = await this.tokens.issue('reset-password', user._id, RESET_TTL_MS);
    await this.mail.send(user.email, 'reset-password', user.preferences.ui.locale, {
      name: user.name,
      token,
      link: `${this.config.http.publicUrl}/reset-password?token=${token}`,
    });
    await this.events.record(user._id, 'password_reset_requested');
  }

  async resetPassword(token: string, password: string): Promise<{ reset: true }> {
    const userId = await this.tokens.consume('reset-password', token);
    const user = userId ? await this.users.findAccountById(userId) : null;
    if (!user) throw new AuthError('INVALID_TOKEN');
    await this.setPassword(user, password);
    await this.events.record(user._id, 'password_reset');
    return { reset: true };
  }

  /** Ends every session (including this one) and hands back a fresh pair so the caller stays signed in. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<TokenPair> {
    const user = await this.users.findAccountById(userId);
    if (!user) throw new AuthError('INVALID_CREDENTIALS');
    if (!(await verifyPassword(currentPassword, user.passwordHash)))
      throw new AuthError('INVALID_CURRENT_PASSWORD');
    const updated = await this.setPassword(user, newPassword);
    await this.events.record(user._id, 'password_changed');
    return this.issueTokens(updated, randomUUID());
  }

  private async setPassword(user: UserAccount, password: string): Promise<UserAccount> {
    const updated = await this.users.replacePassword(
      user._id,
      await hashPassword(password, this.config.auth.bcryptCost),
    );
    await this.repository.revokeAllForUser(user._id);
    return updated ?? user;
  }

  /** Unless the address had MAIL_PER_ADDRESS_PER_HOUR verification mails this hour (the caller answers alike). */
  private async sendVerification(user: UserAccount): Promise<void> {
    if (!(await this.limits.mayMail('verify-email', user.email))) return;
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

  /** When a sign-in ends however often it rotates; tokens from before the family limit: from their own creation. */
  private familyEnd(stored: { familyExpiresAt?: Date | null; createdAt: Date }): Date {
    return (
      stored.familyExpiresAt ??
      new Date(stored.createdAt.getTime() + this.config.auth.refreshFamilyMaxDays * DAY_MS)
    );
  }

  /** `familyExpiresAt`: the family's absolute end (a new sign-in starts one of REFRESH_FAMILY_MAX_DAYS). */
  private async issueTokens(
    user: UserAccount,
    familyId: string,
    familyExpiresAt = new Date(Date.now() + this.config.auth.refreshFamilyMaxDays * DAY_MS),
  ): Promise<TokenPair> {
    const payload: AccessTokenPayload = { sub: user._id, tv: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(payload);
    const id = randomUUID();
    const secret = randomToken();
    await this.repository.createRefreshToken({
      _id: id,
      userId: user._id,
      familyId,
      secretHash: sha256(secret),
      expiresAt: new Date(
        Math.min(Date.now() + this.config.auth.refreshTtlDays * DAY_MS, familyExpiresAt.getTime()),
      ),
      familyExpiresAt,
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
