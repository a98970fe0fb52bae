import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { dependencyUnavailable } from '../../common/errors/dependency-errors';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { sha256 } from '../../infrastructure/tokens/one-time-tokens.service';
import { REDIS } from '../../infrastructure/redis/redis.module';

/** A failure counter forgets its account and IP this long after their last failure. */
const FAILURE_MEMORY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

/** Mails anyone can trigger for an address without signing in: each kind has its own hourly budget per address. */
export type AnonymousMailKind = 'reset-password' | 'verify-email';

// Atomic: count the failure; from the threshold on, lock the pair for base·2^(n−threshold) seconds (at most max).
// KEYS: failures, lock. ARGV: memory ms, threshold, base ms, max ms. Returns the lock in ms (0 = none).
const FAILURE_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local threshold = tonumber(ARGV[2])
if n < threshold then return 0 end
local ms = tonumber(ARGV[3]) * math.pow(2, n - threshold)
if ms > tonumber(ARGV[4]) then ms = tonumber(ARGV[4]) end
redis.call('SET', KEYS[2], '1', 'PX', ms)
return ms
`;

// KEYS: counter. ARGV: window ms. The count including this request; the window starts at the first one.
const COUNT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/**
 * The auth module's own counters in Redis (shared by every API replica), failing closed like the per-IP limit: no
 * counter, no password check and no mail (503).
 *
 * - Failed logins per (account, client IP): after `loginFailuresBeforeLock` failures that pair is locked, and every
 *   further failure doubles the lock (growing delay). A locked pair is refused before the password is looked at.
 *   Only failures count, and only for the IP that made them: nobody else's requests can lock the owner out of their
 *   own account from their own connection (docs/accounts.md, "Login limits").
 * - Mails per address and kind, `mailPerAddressPerHour`: the answer stays 202 either way (no enumeration).
 *
 * Accounts are named by sha256 of the lower-case email, so unknown addresses are limited exactly like known ones
 * (no enumeration through the lock) and no address is written to Redis in clear.
 */
@Injectable()
export class AuthLimits {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Milliseconds the pair is still locked for (0 = not locked). */
  async loginLockedFor(email: string, ip: string): Promise<number> {
    const ms = await this.guard(() => this.redis.pttl(this.keys(email, ip).lock));
    return ms > 0 ? ms : 0;
  }

  /** Counts a failed login; the lock it starts or extends, in ms (0 = none yet). */
  async loginFailed(email: string, ip: string): Promise<number> {
    const { failures, lock } = this.keys(email, ip);
    const limits = this.config.rateLimits;
    const ms = await this.guard(() =>
      this.redis.eval(
        FAILURE_SCRIPT,
        2,
        failures,
        lock,
        String(FAILURE_MEMORY_MS),
        String(limits.loginFailuresBeforeLock),
        String(limits.loginLockBaseSeconds * 1000),
        String(limits.loginLockMaxSeconds * 1000),
      ),
    );
    return Number(ms);
  }

  /** A correct password from this IP: its failures for the account are forgotten. */
  async loginSucceeded(email: string, ip: string): Promise<void> {
    const { failures, lock } = this.keys(email, ip);
    await this.guard(() => this.redis.del(failures, lock));
  }

  /** True when one more mail of this kind may go to this address this hour (and counts it). */
  async mayMail(kind: AnonymousMailKind, email: string): Promise<boolean> {
    const key = `auth:mail:${kind}:${sha256(email.toLowerCase())}`;
    const n = await this.guard(() => this.redis.eval(COUNT_SCRIPT, 1, key, String(HOUR_MS)));
    return Number(n) <= this.config.rateLimits.mailPerAddressPerHour;
  }

  private keys(email: string, ip: string) {
    const pair = `${sha256(email.toLowerCase())}:${ip}`;
    return { failures: `auth:login-failures:${pair}`, lock: `auth:login-lock:${pair}` };
  }

  private async guard<T>(command: () => Promise<T>): Promise<T> {
    try {
      if (this.redis.status !== 'ready') throw new Error('not connected');
      return await command();
    } catch {
      throw dependencyUnavailable('redis');
    }
  }
}
