import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader } from '@nestjs/swagger';
import type { Actor } from '../context/request-context';
import type { OrgRole, PlatformRole } from './roles';

export const IS_PUBLIC = 'ww:isPublic';
export const PLATFORM_ROLES_KEY = 'ww:platformRoles';
export const ORG_SCOPE_KEY = 'ww:orgScope';
export const AUTH_RATE_LIMIT = 'ww:authRateLimit';

/** No access token needed. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Platform roles allowed on this route (e.g. `@Roles('admin')`). */
export const Roles = (...roles: PlatformRole[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PLATFORM_ROLES_KEY, roles), ApiBearerAuth());

export interface OrgScope {
  /** Lowest organization role allowed; default `viewer` for reads. */
  minRole: OrgRole;
  /** Take the organization from this path parameter instead of the X-Organization-Id header. */
  param?: string;
}

/**
 * The route works on one organization's data: the guard resolves it (path parameter, else the
 * `X-Organization-Id` header, else the user's own organization), checks membership and role, and puts it in the
 * request context. Not a member → the same 404 as a missing record.
 */
export const OrgScoped = (minRole: OrgRole = 'viewer', param?: string): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ORG_SCOPE_KEY, { minRole, param } satisfies OrgScope),
    ApiBearerAuth(),
    ...(param
      ? []
      : [
          ApiHeader({
            name: 'X-Organization-Id',
            required: false,
            description: "Organization to act in; default: the user's own",
          }),
        ]),
  );

export const ALLOW_WHEN_READ_ONLY = 'ww:allowWhenReadOnly';
export const REQUIRES_FULL_ACCESS = 'ww:requiresFullAccess';

/**
 * Read-only mode (free plan by default, suspended accounts) refuses every POST/PUT/PATCH/DELETE on an @OrgScoped
 * route with 403 `ACCOUNT_READ_ONLY` (BillingAccessGuard, global). This marks a write route that must keep working
 * anyway: managing the organization itself (name, members, invitations), accepting an upgrade, and a person's own
 * data export (GDPR art. 20) when it is built.
 */
export const AllowWhenReadOnly = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_WHEN_READ_ONLY, true);

/**
 * A GET on an @OrgScoped route that read-only mode must refuse too (exports, calendar sync): without this, reads
 * always pass. The route must be @OrgScoped.
 */
export const RequiresFullAccess = (): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRES_FULL_ACCESS, true);

/** Anonymous auth routes: limited per client IP and per email in the body. */
export const AuthRateLimited = (): MethodDecorator => SetMetadata(AUTH_RATE_LIMIT, true);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ user?: Actor }>();
  if (!req.user) throw new Error('CurrentActor used on a route without authentication');
  return req.user;
});
