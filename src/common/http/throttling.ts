import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Request, Response } from 'express';
import type Redis from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import { dependencyUnavailable } from '../errors/dependency-errors';
import { AUTH_RATE_LIMIT } from '../auth/decorators';
import type { Actor } from '../context/request-context';
import { WRITE_METHODS } from './api';

const MINUTE_MS = 60_000;

type Req = Request & { user?: Actor };
const request = (ctx: ExecutionContext): Req => ctx.switchToHttp().getRequest<Req>();
const reflector = new Reflector();
const isAuthRoute = (ctx: ExecutionContext): boolean =>
  reflector.getAllAndOverride<boolean>(AUTH_RATE_LIMIT, [ctx.getHandler(), ctx.getClass()]) === true;

const UPLOAD_RATE_LIMIT = 'ww:uploadRateLimit';
/** A file upload route: counted against the per-user upload limit instead of the write limit. */
export const UploadRateLimited = (): MethodDecorator => SetMetadata(UPLOAD_RATE_LIMIT, true);
const isUploadRoute = (ctx: ExecutionContext): boolean =>
  reflector.get<boolean>(UPLOAD_RATE_LIMIT, ctx.getHandler()) === true;
const READ_RATE_LIMIT = 'ww:readRateLimit';
/**
 * A POST that only reads (a question with a body too large for a query string, e.g. `POST /ai/categorize`): counted
 * against the per-user request limit like a GET, not the write limit.
 */
export const ReadRateLimited = (): MethodDecorator => SetMetadata(READ_RATE_LIMIT, true);
const isReadRoute = (ctx: ExecutionContext): boolean =>
  reflector.get<boolean>(READ_RATE_LIMIT, ctx.getHandler()) === true;
/** Counters are per tracker across all routes (the library's default key is per route). */
const keyAcrossRoutes = (_ctx: ExecutionContext, tracker: string, name: string): string =>
  `${name}:${tracker}`;

/**
 * What a rate limit does when its counter cannot be read (Redis down or stuck):
 * - the per-user limits fail OPEN: the request was already authenticated (JWT + user read from the database) and is
 *   accountable; refusing every signed-in request because a counter store is down would turn a Redis outage into a
 *   full API outage while the database is fine. Nothing is counted meanwhile.
 * - the anonymous auth limits fail CLOSED (503): they are the brute-force protection of login, password reset and
 *   registration; without them an outage (or someone causing one) would allow unlimited password guessing.
 */
export const FAIL_CLOSED_THROTTLERS: ReadonlySet<string> = new Set(['auth-ip']);

/** What a fail-open limit answers when the counter is unavailable: not blocked, nothing counted. */
const UNCOUNTED = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 } as const;

/**
 * The Redis counter with the policy above. While the client is not connected it does not even try (answers at once
 * instead of waiting for a reconnect); a stuck Redis is cut off by the client's command timeout.
 */
export class FailSafeThrottlerStorage implements ThrottlerStorage {
  private readonly inner: ThrottlerStorageRedisService;

  constructor(private readonly redis: Redis) {
    this.inner = new ThrottlerStorageRedisService(redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    try {
      if (this.redis.status !== 'ready') throw dependencyUnavailable('redis');
      return await this.inner.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch {
      if (FAIL_CLOSED_THROTTLERS.has(throttlerName)) throw dependencyUnavailable('redis');
      return UNCOUNTED;
    }
  }
}

/**
 * Rate limits, counted in Redis so every API replica shares them: per signed-in user all requests, writes, and
 * file uploads (their own limit: a batch of receipts); per client IP on the anonymous auth routes. There is no
 * limit per email here on purpose: one counting every request for an address let anyone lock its owner out
 * (issue 10). Failed logins are limited per account and client IP, and mails per address and kind, by the auth
 * module (src/modules/auth/auth-limits.ts).
 */
export function throttlerOptions(config: AppConfig, redis: Redis): ThrottlerModuleOptions {
  const limits = config.rateLimits;
  return {
    storage: new FailSafeThrottlerStorage(redis),
    throttlers: [
      {
        name: 'user',
        ttl: MINUTE_MS,
        limit: limits.userPerMin,
        skipIf: (ctx) => !request(ctx).user,
        getTracker: (req) => (req as Req).user?.userId ?? '',
        generateKey: keyAcrossRoutes,
      },
      {
        name: 'user-writes',
        ttl: MINUTE_MS,
        limit: limits.userWritesPerMin,
        skipIf: (ctx) =>
          !request(ctx).user ||
          !WRITE_METHODS.has(request(ctx).method) ||
          isUploadRoute(ctx) ||
          isReadRoute(ctx),
        getTracker: (req) => (req as Req).user?.userId ?? '',
        generateKey: keyAcrossRoutes,
      },
      {
        name: 'user-uploads',
        ttl: MINUTE_MS,
        limit: limits.userUploadsPerMin,
        skipIf: (ctx) => !request(ctx).user || !isUploadRoute(ctx),
        getTracker: (req) => (req as Req).user?.userId ?? '',
        generateKey: keyAcrossRoutes,
      },
      {
        name: 'auth-ip',
        ttl: MINUTE_MS,
        limit: limits.authIpPerMin,
        skipIf: (ctx) => !isAuthRoute(ctx),
        generateKey: keyAcrossRoutes,
      },
    ],
  };
}

/** The library names its header `Retry-After-<throttler>`; clients expect plain `Retry-After` (seconds). */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail) {
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
