import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isGlobalId } from '../../infrastructure/mongo/global-id';
import { GlobalIdService } from '../../infrastructure/mongo/global-id.service';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import type { AuditAction } from './audit-action';
import { AuditListeners } from './audit-listeners';
import { PLATFORM_CHAIN, verifyChain, type ChainVerification } from './audit.hash';
import { AuditRepository, type AuditPageFilter } from './audit.repository';
import { sanitizeAuditObject, sanitizeAuditString, type AuditObject } from './audit.sanitize';
import type { AuditChanges, AuditEntry } from './audit.schema';

export interface AuditRecordInput {
  action: AuditAction;
  /** Default: the organization of the request context, else none (the `platform` chain). `null`: none. */
  organizationId?: string | null;
  /** Default: the authenticated user of the request context, else none. `null`: none (e.g. an unknown email). */
  actorId?: string | null;
  targetType?: string;
  targetId?: string;
  /** Changed fields only — build it with `diffFields(before, after)`. Secrets are stripped here anyway. */
  changes?: { before: Record<string, unknown>; after: Record<string, unknown> };
  metadata?: Record<string, unknown>;
}

/** `GET /audit` filters; the organization always comes from the request context. */
export type AuditListFilter = Omit<AuditPageFilter, 'organizationId'>;

export type AuditVerification = { organizationId: string } & ChainVerification;

const MAX_ID = 200;
const MAX_TYPE = 100;
const MAX_USER_AGENT = 512;
const MAX_IP = 64;

const clip = (value: string | null | undefined, max: number): string | null =>
  value === null || value === undefined ? null : sanitizeAuditString(String(value), max);

const nonEmpty = (value: AuditObject): AuditObject | null => (Object.keys(value).length ? value : null);

/**
 * The audit log: append-only, one hash chain per organization (plus `platform`). Services call `record` for every
 * state change and auth event they perform; the interceptor adds a generic entry for writes nobody described.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly ids: GlobalIdService,
    private readonly context: RequestContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly listeners: AuditListeners,
  ) {}

  /**
   * Appends one entry and marks the request as audited (so the generic HTTP entry is skipped), then tells the
   * `AuditListeners`. Request id, IP and user agent come from the request context. Throws when the entry cannot be
   * written (an action that must be audited should not look successful without its entry) or a required listener
   * fails.
   */
  async record(input: AuditRecordInput): Promise<AuditEntry> {
    const organizationId =
      (input.organizationId !== undefined ? input.organizationId : this.context.tenant?.organizationId) ||
      null;
    const actorId = (input.actorId !== undefined ? input.actorId : this.context.actor?.userId) || null;
    const changes: AuditChanges | null = input.changes
      ? { before: sanitizeAuditObject(input.changes.before), after: sanitizeAuditObject(input.changes.after) }
      : null;
    const hasChanges =
      changes !== null && (Object.keys(changes.before).length > 0 || Object.keys(changes.after).length > 0);

    const entry = await this.repository.append({
      _id: await this.ids.getNextGlobalId(),
      chain: organizationId ?? PLATFORM_CHAIN,
      organizationId,
      actorId,
      action: input.action,
      targetType: clip(input.targetType, MAX_TYPE),
      targetId: clip(input.targetId, MAX_ID),
      changes: hasChanges ? changes : null,
      metadata: nonEmpty(sanitizeAuditObject(input.metadata)),
      requestId: clip(this.context.requestId, MAX_ID),
      ip: clip(this.context.ip, MAX_IP),
      userAgent: clip(this.context.userAgent, MAX_USER_AGENT),
      at: new Date(),
    });
    this.context.markAudited();
    await this.listeners.notify(entry);
    return entry;
  }

  /** The current organization's entries, newest first. */
  list(filter: AuditListFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const { organizationId } = this.context.requireTenant();
    return this.repository.page({ ...filter, organizationId }, page);
  }

  /**
   * Platform admins: the entries of one chain — an organization id or `platform` (entries outside any
   * organization) — newest first, with the same filters as `list`. Anything else is NOT_FOUND.
   */
  listChain(chain: string, filter: AuditListFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    if (chain !== PLATFORM_CHAIN && !isGlobalId(this.config.globalIdPrefix, chain)) {
      throw notFound('audit_chain');
    }
    return this.repository.page({ ...filter, organizationId: chain === PLATFORM_CHAIN ? null : chain }, page);
  }

  /**
   * Verifies one chain: an organization id or `platform`. Anything else is NOT_FOUND. An organization without
   * entries (or unknown) is a valid chain of 0 entries.
   */
  async verify(organizationId: string): Promise<AuditVerification> {
    if (organizationId !== PLATFORM_CHAIN && !isGlobalId(this.config.globalIdPrefix, organizationId)) {
      throw notFound('audit_chain');
    }
    const entries = await this.repository.chainEntries(organizationId);
    return { organizationId, ...verifyChain(entries) };
  }
}
