import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC, PLATFORM_ROLES_KEY } from '../../common/auth/decorators';
import type { PlatformRole } from '../../common/auth/roles';
import type { Actor } from '../../common/context/request-context';
import { CommonError } from '../../common/errors/domain-error';

/** Global: every route needs a valid access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T = Actor>(error: unknown, user: T | false): T {
    if (error instanceof CommonError) throw error;
    if (error || !user) throw new CommonError('UNAUTHORIZED');
    return user;
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
