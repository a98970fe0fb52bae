import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { FieldCrypto } from '../../../infrastructure/crypto/field-crypto';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { isWebhookEventType } from '../common/event-catalogue';
import type { WebhookFormat } from '../common/formats';
import { newSecret } from '../common/signing';
import { maskUrl } from '../common/url';
import { DeliveriesService, secretAad, urlAad, type DeliveryView } from '../deliveries/deliveries.service';
import type { DeliveryStatus } from '../deliveries/deliveries.schema';
import { WebhookSender } from '../deliveries/sender';
import { OutboxService } from '../events/outbox.service';
import { WEBHOOKS_RECORD_TYPES } from '../webhooks.records';
import { WebhooksError } from '../webhooks.errors';
import { EndpointsRepository, type EndpointChange } from './endpoints.repository';
import type { DisabledReason, EndpointSecret, WebhookEndpointDoc } from './endpoints.schema';

export const MAX_ENDPOINTS = 20;
export const DEFAULT_OVERLAP_HOURS = 24;

export interface EndpointInput {
  name: string;
  url: string;
  format: WebhookFormat;
  language?: 'sv' | 'en';
  eventTypes: string[];
}

export interface EndpointView {
  id: string;
  name: string;
  /** Masked: the path after its first segments often holds a token. */
  url: string;
  format: WebhookFormat;
  language: 'sv' | 'en';
  eventTypes: string[];
  enabled: boolean;
  disabledReason: DisabledReason | null;
  disabledAt: Date | null;
  secrets: { id: string; createdAt: Date; expiresAt: Date | null }[];
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const AUDITED = ['name', 'urlMasked', 'format', 'language', 'eventTypes'];

const view = (e: WebhookEndpointDoc, now: Date): EndpointView => ({
  id: e._id,
  name: e.name,
  url: e.urlMasked,
  format: e.format,
  language: e.language,
  eventTypes: e.eventTypes,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  disabledAt: e.disabledAt,
  secrets: e.secrets
    .filter((s) => !s.expiresAt || s.expiresAt.getTime() > now.getTime())
    .map((s) => ({ id: s.id, createdAt: s.createdAt, expiresAt: s.expiresAt })),
  failingSince: e.failingSince,
  lastSuccessAt: e.lastSuccessAt,
  lastFailureAt: e.lastFailureAt,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

/** Endpoint management (org admins and owners): CRUD, enable/disable, secrets, test sends and replays. */
@Injectable()
export class EndpointsService {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesService,
    private readonly outbox: OutboxService,
    private readonly sender: WebhookSender,
    private readonly crypto: FieldCrypto,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
    private readonly clock: Clock,
    private readonly context: RequestContext,
  ) {}

  async list(page: PageRequest): Promise<Page<EndpointView>> {
    const result = await this.endpoints.list(page);
    const now = this.clock.now();
    return { items: result.items.map((e) => view(e, now)), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<EndpointView> {
    return view(await this.require(id), this.clock.now());
  }

  async create(input: EndpointInput): Promise<EndpointView & { secret: string }> {
    this.checkTypes(input.eventTypes);
    await this.checkUrl(input.url);
    if ((await this.endpoints.count()) >= MAX_ENDPOINTS)
      throw new WebhooksError('TOO_MANY_ENDPOINTS', undefined, { max: MAX_ENDPOINTS });
    const id = await this.ids.getNextGlobalId();
    const secret = newSecret();
    const secretId = randomUUID();
    const now = this.clock.now();
    const created = await this.endpoints.add({
      _id: id,
      name: input.name,
      urlCipher: this.crypto.encrypt(input.url, urlAad(id)),
      urlMasked: maskUrl(input.url),
      format: input.format,
      language: input.language ?? 'sv',
      eventTypes: [...new Set(input.eventTypes)],
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      secrets: [
        {
          id: secretId,
          cipher: this.crypto.encrypt(secret, secretAad(id, secretId)),
          createdAt: now,
          expiresAt: null,
        },
      ],
      failingSince: null,
      lastSuccessAt: null,
      lastFailureAt: null,
      createdBy: this.context.actor?.userId ?? null,
    });
    await this.audit.record({
      action: AuditAction.WebhookEndpointCreated,
      targetType: WEBHOOKS_RECORD_TYPES.endpoint,
      targetId: id,
      changes: diffFields({}, created, AUDITED),
    });
    return { ...view(created, now), secret };
  }

  async update(id: string, patch: Partial<EndpointInput>): Promise<EndpointView> {
    await this.require(id);
    if (patch.eventTypes) this.checkTypes(patch.eventTypes);
    const change: EndpointChange = {
      name: patch.name,
      format: patch.format,
      language: patch.language,
      eventTypes: patch.eventTypes ? [...new Set(patch.eventTypes)] : undefined,
    };
    if (patch.url !== undefined) {
      await this.checkUrl(patch.url);
      change.urlCipher = this.crypto.encrypt(patch.url, urlAad(id));
      change.urlMasked = maskUrl(patch.url);
    }
    const result = await this.endpoints.change(id, change);
    if (!result) throw notFound(WEBHOOKS_RECORD_TYPES.endpoint);
    await this.audit.record({
      action: AuditAction.WebhookEndpointUpdated,
      targetType: WEBHOOKS_RECORD_TYPES.endpoint,
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
      metadata: patch.url !== undefined ? { urlChanged: true } : undefined,
    });
    return view(result.after, this.clock.now());
  }

  async setEnabled(id: string, enabled: boolean): Promise<EndpointView> {
    const current = await this.require(id);
    if (current.enabled === enabled) return view(current, this.clock.now());
    const now = this.clock.now();
    const result = await this.endpoints.setEnabled(
      id,
      enabled,
      enabled ? null : 'manual',
      enabled ? null : now,
    );
    if (!result) throw notFound(WEBHOOKS_RECORD_TYPES.endpoint);
    if (!enabled) await this.deliveries.failPending(current.organizationId, id, 'endpoint disabled (manual)');
    await this.audit.record({
      action: enabled ? AuditAction.WebhookEndpointEnabled : AuditAction.WebhookEndpointDisabled,
      targetType: WEBHOOKS_RECORD_TYPES.endpoint,
      targetId: id,
      changes: { before: { enabled: !enabled }, after: { enabled } },
      metadata: enabled ? { wasDisabledFor: current.disabledReason } : { reason: 'manual' },
    });
    return view(result.after, now);
  }

  /**
   * A new signing secret, shown once. The earlier live secrets keep signing for `overlapHours` (0: stop at once),
   * so receivers can switch without losing a message: during the overlap every message carries one `v1,`
   * signature per live secret.
   */
  async rotateSecret(
    id: string,
    overlapHours = DEFAULT_OVERLAP_HOURS,
  ): Promise<EndpointView & { secret: string }> {
    const current = await this.require(id);
    const now = this.clock.now();
    const until = new Date(now.getTime() + overlapHours * 3600 * 1000);
    const kept: EndpointSecret[] = current.secrets
      .filter((s) => !s.expiresAt || s.expiresAt.getTime() > now.getTime())
      .filter(() => overlapHours > 0)
      .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < until ? s.expiresAt : until }));
    const secret = newSecret();
    const secretId = randomUUID();
    const fresh: EndpointSecret = {
      id: secretId,
      cipher: this.crypto.encrypt(secret, secretAad(id, secretId)),
      createdAt: now,
      expiresAt: null,
    };
    const result = await this.endpoints.setSecrets(id, [fresh, ...kept]);
    if (!result) throw notFound(WEBHOOKS_RECORD_TYPES.endpoint);
    await this.audit.record({
      action: AuditAction.WebhookEndpointSecretRotated,
      targetType: WEBHOOKS_RECORD_TYPES.endpoint,
      targetId: id,
      metadata: { secretId, overlapHours, previousUntil: kept.length ? until.toISOString() : null },
    });
    return { ...view(result.after, now), secret };
  }

  /** Sends a `webhook.test` message now (also to a disabled endpoint) and answers its delivery with the attempt. */
  async test(id: string): Promise<DeliveryView> {
    const endpoint = await this.require(id);
    const claim = randomUUID();
    const lease = new Date(this.clock.now().getTime() + 75_000);
    const deliveryId = await this.outbox.testEvent(endpoint, randomUUID(), claim, lease);
    await this.deliveries.attempt(deliveryId, claim, { evenIfDisabled: true });
    await this.audit.record({
      action: AuditAction.WebhookEndpointTested,
      targetType: WEBHOOKS_RECORD_TYPES.endpoint,
      targetId: id,
      metadata: { deliveryId },
    });
    return this.deliveries.get(deliveryId);
  }

  async deliveriesOf(id: string, status: DeliveryStatus | undefined, page: PageRequest) {
    await this.require(id);
    return this.deliveries.list(id, status, page);
  }

  /** Sends again, from the start of the schedule, the endpoint's deliveries since a time (failed ones, or all). */
  async replaySince(id: string, since: Date, which: 'failed' | 'all'): Promise<{ replayed: number }> {
    const endpoint = await this.require(id);
    if (!endpoint.enabled) throw new WebhooksError('ENDPOINT_DISABLED');
    const statuses: DeliveryStatus[] = which === 'all' ? ['failed', 'succeeded'] : ['failed'];
    const replayed = await this.deliveries.replaySince(id, since, statuses);
    await this.audit.record({
      action: AuditAction.WebhookDeliveriesReplayed,
      targetType: WEBHOOKS_RECORD_TYPES.endpoint,
      targetId: id,
      metadata: { since: since.toISOString(), which, replayed },
    });
    this.outbox.dispatchSoon();
    return { replayed };
  }

  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    const undo = await this.trash.delete(WEBHOOKS_RECORD_TYPES.endpoint, id);
    await this.deliveries.failPending(current.organizationId, id, 'endpoint deleted');
    return undo;
  }

  private async require(id: string): Promise<WebhookEndpointDoc> {
    const endpoint = await this.endpoints.findById(id);
    if (!endpoint) throw notFound(WEBHOOKS_RECORD_TYPES.endpoint);
    return endpoint;
  }

  private checkTypes(types: string[]): void {
    const unknown = types.filter((t) => !isWebhookEventType(t));
    if (unknown.length)
      throw new WebhooksError('UNKNOWN_EVENT_TYPE', undefined, { field: 'eventTypes', unknown });
  }

  /** The SSRF guard at the door: refused addresses fail now; a name that does not resolve yet is accepted. */
  private async checkUrl(url: string): Promise<void> {
    const target = await this.sender.target(url);
    if (!target.ok && !target.dnsFailed)
      throw new WebhooksError('WEBHOOK_URL_FORBIDDEN', undefined, {
        field: 'url',
        reason: target.reason,
        ...(target.address ? { address: target.address } : {}),
      });
  }
}
