import { AsyncLocalStorage } from 'node:async_hooks';
import type { DiscoveryService } from '@nestjs/core';
import { MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { ClsService } from 'nestjs-cls';
import { RequestContext } from '../../common/context/request-context';
import { JobHandler } from './job-handler.decorator';
import { JobRegistry } from './job-registry';
import { JobName } from './queue.constants';

interface Seen {
  tenant: RequestContext['tenant'];
  actor: RequestContext['actor'];
  isSystem: boolean;
  requestId: string | undefined;
}

/** One provider with a handler for every job, recording the context each one runs in. */
function setup() {
  const context = new RequestContext(new ClsService(new AsyncLocalStorage()));
  const seen: Seen[] = [];
  class AllJobs {}
  for (const name of Object.values(JobName)) {
    const descriptor: PropertyDescriptor = {
      value: () => {
        seen.push({
          tenant: context.tenant,
          actor: context.actor,
          isSystem: context.isSystem,
          requestId: context.requestId,
        });
        return Promise.resolve();
      },
    };
    JobHandler(name)(AllJobs.prototype, name, descriptor);
    Object.defineProperty(AllJobs.prototype, name, descriptor);
  }
  const discovery = { getProviders: () => [{ instance: new AllJobs() }] } as unknown as DiscoveryService;
  const registry = new JobRegistry(discovery, new MetadataScanner(), new Reflector(), context);
  registry.onModuleInit();
  return { registry, context, seen };
}

const job = (name: JobName, data: Record<string, unknown>, id = '42') =>
  ({ id, name, data }) as unknown as Job;

describe('JobRegistry.dispatch', () => {
  it("runs an organization's job in the payload's tenant as the system, with the queuing request's id", async () => {
    const { registry, seen } = setup();
    await registry.dispatch(
      job(JobName.BankImport, {
        organizationId: 'org-a',
        importId: 'i',
        requestedBy: 'u',
        requestId: 'req-1',
      }),
    );
    expect(seen).toEqual([
      {
        tenant: { organizationId: 'org-a', orgRole: 'owner' },
        actor: undefined,
        isSystem: true,
        requestId: 'req-1',
      },
    ]);
  });

  it('falls back to the job id as request id', async () => {
    const { registry, seen } = setup();
    await registry.dispatch(job(JobName.ProcessUpload, { organizationId: 'org-b', uploadId: 'u' }, '7'));
    expect(seen[0]).toMatchObject({
      tenant: { organizationId: 'org-b' },
      isSystem: true,
      requestId: 'job:7',
    });
  });

  it('runs jobs without an organization with no tenant, even when a mail names one', async () => {
    const { registry, seen } = setup();
    await registry.dispatch(job(JobName.PurgeTrash, { dueBefore: '2025-01-01T00:00:00.000Z' }));
    await registry.dispatch(
      job(JobName.SendMail, { to: 'a@b.se', template: 't', locale: 'sv', vars: {}, organizationId: 'org-a' }),
    );
    expect(seen.map((s) => [s.tenant, s.isSystem])).toEqual([
      [undefined, true],
      [undefined, true],
    ]);
  });

  it('refuses an organization job whose payload has no organization', async () => {
    const { registry, seen } = setup();
    await expect(registry.dispatch(job(JobName.BankMatch, { requestedBy: 'u' }))).rejects.toThrow(
      'no organizationId',
    );
    expect(seen).toEqual([]);
  });

  it('does not leak the job context to the caller', async () => {
    const { registry, context } = setup();
    await registry.dispatch(job(JobName.BankMatch, { organizationId: 'org-a', requestedBy: 'u' }));
    expect(context.tenant).toBeUndefined();
    expect(context.isSystem).toBe(false);
  });
});

describe('RequestContext system actor', () => {
  it('is no user: actor is undefined and requireActor throws', async () => {
    const { context } = setup();
    await context.runAsSystem({ organizationId: 'org-a', requestId: 'r' }, () => {
      expect(context.actor).toBeUndefined();
      expect(() => context.requireActor()).toThrow('No authenticated user');
      expect(context.requireTenant()).toEqual({ organizationId: 'org-a', orgRole: 'owner' });
      return Promise.resolve();
    });
  });

  it('replaces an inherited tenant and user when nested', async () => {
    const { context } = setup();
    const user = { userId: 'u1', platformRole: 'user' as const };
    const tenant = { organizationId: 'org-a', orgRole: 'viewer' as const };
    const inner = await context.run({ requestId: 'outer', actor: user, tenant }, () =>
      context.runAsSystem({}, () =>
        Promise.resolve({ tenant: context.tenant, actor: context.actor, requestId: context.requestId }),
      ),
    );
    expect(inner).toEqual({ tenant: undefined, actor: undefined, requestId: 'outer' });
  });
});
