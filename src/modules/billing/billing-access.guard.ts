import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ALLOW_WHEN_READ_ONLY, ORG_SCOPE_KEY, REQUIRES_FULL_ACCESS } from '../../common/auth/decorators';
import { RequestContext } from '../../common/context/request-context';
import { BillingError } from './billing.errors';
import { BillingService } from './accounts/accounts.service';
import { WRITE_METHODS } from '../../common/http/api';

/**
 * Read-only mode, enforced in one place. Global (APP_GUARD right after OrgContextGuard, which has put the tenant in
 * the request context): on an @OrgScoped route, a write method (POST/PUT/PATCH/DELETE), or a GET marked
 * @RequiresFullAccess (exports, calendar sync), is refused with 403 `ACCOUNT_READ_ONLY` when the organization's
 * access is read-only — unless the route is marked @AllowWhenReadOnly. Every new org-scoped write route is
 * covered by default; nothing for a module to remember.
 *
 * The access is read from the database on every such request (the account and the policy, two `_id` lookups):
 * never cached, so a payment, an admin action or a test writing `billing_accounts` directly applies at once.
 */
@Injectable()
export class BillingAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly billing: BillingService,
    private readonly context: RequestContext,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const orgScoped = this.reflector.getAllAndOverride<unknown>(ORG_SCOPE_KEY, targets) !== undefined;
    const requiresFull = this.reflector.getAllAndOverride<boolean>(REQUIRES_FULL_ACCESS, targets) === true;
    if (!orgScoped) {
      // a programming error: there is no organization to judge
      if (requiresFull) throw new Error('@RequiresFullAccess() needs @OrgScoped() on the same route');
      return true;
    }
    const method = ctx.switchToHttp().getRequest<Request>().method;
    if (!WRITE_METHODS.has(method) && !requiresFull) return true;
    if (this.reflector.getAllAndOverride<boolean>(ALLOW_WHEN_READ_ONLY, targets) === true) return true;
    const { organizationId } = this.context.requireTenant();
    const { access, state } = await this.billing.accessOf(organizationId);
    if (access === 'read_only') {
      throw new BillingError('ACCOUNT_READ_ONLY', undefined, {
        plan: state.plan,
        billingStatus: state.billingStatus,
      });
    }
    return true;
  }
}
