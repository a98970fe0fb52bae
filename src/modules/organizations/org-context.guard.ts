import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ORG_SCOPE_KEY, type OrgScope } from '../../common/auth/decorators';
import { ORG_ROLE_RANK } from '../../common/auth/roles';
import { RequestContext } from '../../common/context/request-context';
import { CommonError, notFound } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isGlobalId } from '../../infrastructure/mongo/global-id';
import { USERS, type UsersDirectory } from '../users/users.contract';
import { OrganizationsError } from './organizations.errors';
import { OrganizationsService } from './organizations.service';

/**
 * Tenancy, resolved in one place: for routes marked @OrgScoped, finds the organization (path parameter, else
 * `X-Organization-Id`, else the user's own), checks membership (not a member → 404, same body as a missing
 * record) and role, and puts `{organizationId, orgRole}` into the request context for TenantRepository.
 */
@Injectable()
export class OrgContextGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly organizations: OrganizationsService,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly context: RequestContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<OrgScope | undefined>(ORG_SCOPE_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!scope) return true;
    const actor = this.context.actor;
    if (!actor) throw new CommonError('UNAUTHORIZED');
    const req = ctx.switchToHttp().getRequest<Request>();
    const given = scope.param ? req.params[scope.param] : req.header('x-organization-id');
    let organizationId = typeof given === 'string' && given !== '' ? given : null;
    if (!organizationId)
      organizationId = (await this.users.findById(actor.userId))?.defaultOrganizationId ?? null;
    if (!organizationId || !isGlobalId(this.config.globalIdPrefix, organizationId)) {
      throw notFound('organization');
    }
    const membership = await this.organizations.membership(organizationId, actor.userId);
    if (!membership) throw notFound('organization');
    if (ORG_ROLE_RANK[membership.role] < ORG_ROLE_RANK[scope.minRole]) {
      throw new OrganizationsError('INSUFFICIENT_ORG_ROLE');
    }
    this.context.setTenant({ organizationId, orgRole: membership.role });
    return true;
  }
}
