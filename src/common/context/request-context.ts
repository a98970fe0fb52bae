import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ClsService, ClsStore } from 'nestjs-cls';
import type { OrgRole, PlatformRole } from '../auth/roles';

/** An authenticated user. */
export interface Actor {
  userId: string;
  platformRole: PlatformRole;
}

/**
 * The system acting on its own (jobs, schedulers). It is no user: `actor` answers undefined and `requireActor` throws
 * for it, so audit entries and `createdBy` fields written by a job carry no actor, as before the system actor existed.
 */
export interface SystemActor {
  kind: 'system';
}

export const SYSTEM_ACTOR: SystemActor = Object.freeze({ kind: 'system' });

const isSystemActor = (actor: Actor | SystemActor): actor is SystemActor =>
  (actor as Partial<SystemActor>).kind === 'system';

export interface Tenant {
  organizationId: string;
  orgRole: OrgRole;
}

export interface RequestStore extends ClsStore {
  requestId?: string;
  ip?: string;
  userAgent?: string;
  actor?: Actor | SystemActor;
  tenant?: Tenant;
  /** Set once a service wrote a specific audit entry for this request (the generic HTTP entry is then skipped). */
  audited?: boolean;
}

/** Thrown when code that needs a tenant runs without one: a programming error, so it fails closed. */
export class MissingTenantContextError extends Error {
  constructor() {
    super('No organization in the request context: tenant data cannot be touched without one');
  }
}

/**
 * The per-request (or per-job) context: who acts, in which organization. Resolved once by the guards; jobs restore
 * it with `run`. Reading the tenant when none is set throws.
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService<RequestStore>) {}

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.get('requestId') : undefined;
  }
  get ip(): string | undefined {
    return this.cls.isActive() ? this.cls.get('ip') : undefined;
  }
  get userAgent(): string | undefined {
    return this.cls.isActive() ? this.cls.get('userAgent') : undefined;
  }
  /** The authenticated user; undefined without one and for the system (jobs). */
  get actor(): Actor | undefined {
    const actor = this.cls.isActive() ? this.cls.get('actor') : undefined;
    return actor && !isSystemActor(actor) ? actor : undefined;
  }
  /** True inside a job or scheduler run through `runAsSystem`. */
  get isSystem(): boolean {
    const actor = this.cls.isActive() ? this.cls.get('actor') : undefined;
    return actor !== undefined && isSystemActor(actor);
  }
  get tenant(): Tenant | undefined {
    return this.cls.isActive() ? this.cls.get('tenant') : undefined;
  }

  requireTenant(): Tenant {
    const tenant = this.tenant;
    if (!tenant) throw new MissingTenantContextError();
    return tenant;
  }

  requireActor(): Actor {
    const actor = this.actor;
    if (!actor) throw new Error('No authenticated user in the request context');
    return actor;
  }

  setActor(actor: Actor): void {
    this.cls.set('actor', actor);
  }

  setTenant(tenant: Tenant): void {
    this.cls.set('tenant', tenant);
  }

  markAudited(): void {
    if (this.cls.isActive()) this.cls.set('audited', true);
  }

  get audited(): boolean {
    return this.cls.isActive() ? this.cls.get('audited') === true : false;
  }

  /** Runs `fn` in a fresh context (jobs, schedulers, scripts), e.g. restoring a job payload's organization. */
  run<T>(store: Partial<RequestStore>, fn: () => Promise<T>): Promise<T> {
    return this.cls.run(async () => {
      for (const [key, value] of Object.entries(store)) this.cls.set(key as keyof RequestStore, value);
      return fn();
    });
  }

  /**
   * Runs `fn` as the system (every job, see JobRegistry.dispatch): the system actor, the organization's tenant with
   * full rights when `organizationId` is given and none otherwise, and `requestId` (default: the current one).
   */
  runAsSystem<T>(scope: { organizationId?: string; requestId?: string }, fn: () => Promise<T>): Promise<T> {
    const { organizationId } = scope;
    return this.run(
      {
        requestId: scope.requestId ?? this.requestId,
        actor: SYSTEM_ACTOR,
        tenant: organizationId ? { organizationId, orgRole: 'owner' } : undefined,
      },
      fn,
    );
  }
}

/** Fills a request's context when the CLS middleware opens it. */
export function clsSetup(cls: ClsService, req: Request & { id?: string }): void {
  cls.set<RequestStore['requestId']>('requestId', req.id);
  cls.set<RequestStore['ip']>('ip', req.ip);
  cls.set<RequestStore['userAgent']>('userAgent', req.header('user-agent')?.slice(0, 300));
}
