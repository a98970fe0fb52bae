import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AllowWhenReadOnly, OrgScoped, RequiresFullAccess } from '../../common/auth/decorators';
import type { RequestContext } from '../../common/context/request-context';
import { BillingAccessGuard } from './billing-access.guard';
import type { BillingService } from './accounts/accounts.service';
import type { Access } from './accounts/billing.state';

/** Routes as a controller would declare them; only their metadata matters here. */
class Routes {
  @OrgScoped('member') write() {}
  @OrgScoped('viewer') read() {}
  @OrgScoped('admin') @AllowWhenReadOnly() manage() {}
  @OrgScoped('viewer') @RequiresFullAccess() exportData() {}
  personal() {}
  @RequiresFullAccess() misdeclared() {}
}

@OrgScoped('member')
@AllowWhenReadOnly()
class AllowedController {
  write() {}
}

function contextFor(cls: object, handler: (...args: never[]) => unknown, method: string): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => ({ method }) }),
  } as unknown as ExecutionContext;
}

describe('BillingAccessGuard', () => {
  let access: Access;
  let asked: string[];
  const billing = {
    accessOf: (organizationId: string) => {
      asked.push(organizationId);
      return Promise.resolve({ access, state: { plan: 'free', billingStatus: 'active' } });
    },
  } as unknown as BillingService;
  const context = {
    requireTenant: () => ({ organizationId: 'A000001', orgRole: 'owner' }),
  } as unknown as RequestContext;
  const guard = new BillingAccessGuard(new Reflector(), billing, context);
  const routes = Routes.prototype;
  const run = (handler: (...args: never[]) => unknown, method: string, cls: object = Routes) =>
    guard.canActivate(contextFor(cls, handler, method));

  beforeEach(() => {
    access = 'read_only';
    asked = [];
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'refuses %s on an org-scoped route while read-only',
    async (method) => {
      await expect(run(routes.write, method)).rejects.toMatchObject({
        code: 'ACCOUNT_READ_ONLY',
        status: 403,
        details: { plan: 'free', billingStatus: 'active' },
      });
      expect(asked).toEqual(['A000001']);
    },
  );

  it('lets the same writes through with full access', async () => {
    access = 'full';
    await expect(run(routes.write, 'POST')).resolves.toBe(true);
  });

  it('lets reads through without asking; a @RequiresFullAccess GET is refused', async () => {
    await expect(run(routes.read, 'GET')).resolves.toBe(true);
    await expect(run(routes.write, 'HEAD')).resolves.toBe(true);
    expect(asked).toEqual([]);
    await expect(run(routes.exportData, 'GET')).rejects.toMatchObject({ code: 'ACCOUNT_READ_ONLY' });
  });

  it('lets @AllowWhenReadOnly routes (on the method or the class) through', async () => {
    await expect(run(routes.manage, 'PATCH')).resolves.toBe(true);
    await expect(run(AllowedController.prototype.write, 'POST', AllowedController)).resolves.toBe(true);
    expect(asked).toEqual([]);
  });

  it('ignores routes without an organization, and fails loudly on @RequiresFullAccess without @OrgScoped', async () => {
    await expect(run(routes.personal, 'POST')).resolves.toBe(true);
    await expect(run(routes.misdeclared, 'GET')).rejects.toThrow(/needs @OrgScoped/);
  });
});
