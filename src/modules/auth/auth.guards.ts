import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { IS_PUBLIC, PLATFORM_ROLES_KEY } from '../../common/auth/decorators';
import type { PlatformRole } from '../../common/auth/roles';
import { RequestContext, type Actor } from '../../common/context/request-context';
import { CommonError } from '../../common/errors/domain-error';
import { USER_ACCOUNTS, type UserAccounts } from '../users/users.contract';
import type { AccessTokenPayload } from './auth.service';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Global: every route needs a valid access token (HS256 bearer) unless marked @Public(). The user is read on every
 * request (an `_id` lookup) so that a deleted user, a changed role or a bumped token version (password reset) takes
 * effect at once, not when the token expires.
 *
 * Verified with this application's own JwtService and the users module's accounts port rather than a passport strategy: passport keeps
 * strategies in one process-wide registry, so a second application in the same process (tests, a restart) would
 * replace the first one's secret and database.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(USER_ACCOUNTS) private readonly users: UserAccounts,
    private readonly context: RequestContext,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const token = BEARER.exec(req.header('authorization') ?? '')?.[1];
    if (!token) throw new CommonError('UNAUTHORIZED');
    let payload: Partial<AccessTokenPayload>;
    try {
      payload = await this.jwt.verifyAsync<AccessTokenPayload>(token, { algorithms: ['HS256'] });
    } catch {
      throw new CommonError('UNAUTHORIZED');
    }
    const user = typeof payload.sub === 'string' ? await this.users.findAccountById(payload.sub) : null;
    if (!user || user.tokenVersion !== payload.tv) throw new CommonError('UNAUTHORIZED');
    const actor: Actor = { userId: user._id, platformRole: user.role };
    this.context.setActor(actor);
    req.user = actor;
    return true;
  }
}

/** `@Roles('admin')`: the platform role must be one of the listed. */
@Injectable()
export class PlatformRolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<PlatformRole[] | undefined>(PLATFORM_ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles?.length) return true;
    const user = context.switchToHttp().getRequest<{ user?: Actor }>().user;
    if (!user || !roles.includes(user.platformRole)) throw new CommonError('FORBIDDEN');
    return true;
  }
}
