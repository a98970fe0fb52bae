import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Request, Response } from 'express';
import type Redis from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import { AUTH_RATE_LIMIT } from '../auth/decorators';
import type { Actor } from '../context/request-context';

const MINUTE_MS = 60_000;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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
const bodyEmail = (ctx: ExecutionContext): string | undefined => {
  const body: unknown = request(ctx).body;
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : undefined;
};
/** Counters are per tracker across all routes (the library's default key is per route). */
const keyAcrossRoutes = (_ctx: ExecutionContext, tracker: string, name: string): string =>
  `${name}:${tracker}`;

/**
 * Rate limits, counted in Redis so every API replica shares them: per signed-in user all requests, writes, and
 * file uploads (their own limit: a batch of receipts); per client IP and per email on the anonymous auth routes.
 */
export function throttlerOptions(config: AppConfig, redis: Redis): ThrottlerModuleOptions {
  const limits = config.rateLimits;
  return {
    storage: new ThrottlerStorageRedisService(redis),
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
        skipIf: (ctx) => !request(ctx).user || !WRITE_METHODS.has(request(ctx).method) || isUploadRoute(ctx),
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
      {
        name: 'auth-email',
        ttl: MINUTE_MS,
        limit: limits.authEmailPerMin,
        skipIf: (ctx) => !isAuthRoute(ctx) || !bodyEmail(ctx),
        getTracker: (_req, ctx) => bodyEmail(ctx) ?? '',
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
