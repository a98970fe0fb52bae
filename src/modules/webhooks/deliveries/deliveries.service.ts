import { Inject, Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { apiPath } from '../../../common/http/api';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { Clock } from '../../../infrastructure/clock/clock';
import { FieldCrypto } from '../../../infrastructure/crypto/field-crypto';
import { Metrics } from '../../../infrastructure/metrics/metrics';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import type { WebhookEventType } from '../common/event-catalogue';
import { render } from '../common/formats';
import { nextAttemptAt, parseRetryAfter } from '../common/retry-schedule';
import { signedHeaders } from '../common/signing';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import type { DisabledReason, WebhookEndpointDoc } from '../endpoints/endpoints.schema';
import { EventsRepository } from '../events/events.repository';
import type { WebhookEventDoc } from '../events/events.schema';
import { WEBHOOKS_RECORD_TYPES } from '../webhooks.records';
import { WebhooksError } from '../webhooks.errors';
import { DeliveriesRepository, type AttemptOutcome } from './deliveries.repository';
import type { DeliveryAttempt, DeliveryStatus, WebhookDeliveryDoc } from './deliveries.schema';
import { DispatchTrigger } from './dispatch-trigger';
import { EndpointNotifier } from './endpoint-notifier';
import { WebhookSender, type SendResult } from './sender';

/** An endpoint failing this long without a success is disabled and its organization's owners are mailed. */
export const FAILING_DISABLE_MS = 5 * 24 * 3600 * 1000;

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  messageId: string;
  eventType: string;
  occurredAt: Date;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  log: DeliveryAttempt[];
  createdAt: Date;
}

export const messageIdOf = (eventId: string): string => `msg_${eventId}`;

export const urlAad = (endpointId: string): string => `webhook_endpoints.${endpointId}.url`;
export const secretAad = (endpointId: string, secretId: string): string =>
  `webhook_endpoints.${endpointId}.secrets.${secretId}`;

const view = (d: WebhookDeliveryDoc): DeliveryView => ({
  id: d._id,
  endpointId: d.endpointId,
  eventId: d.eventId,
  messageId: messageIdOf(d.eventId),
  eventType: d.eventType,
  occurredAt: d.occurredAt,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  deliveredAt: d.deliveredAt,
  log: d.log ?? [],
  createdAt: d.createdAt,
});

/**
 * Attempts (the `webhooks.deliver` job and test sends), the delivery log and replays. An attempt renders the body
 * in the endpoint's format, signs it with every live secret, passes the SSRF guard and POSTs once; the answer
 * decides: 2xx delivered; 410 Gone disables the endpoint; anything else is retried by the schedule
 * (`Retry-After` honoured) until the eighth attempt, and an endpoint failing for 5 days is disabled.
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly events: EventsRepository,
    private readonly sender: WebhookSender,
    private readonly crypto: FieldCrypto,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly notifier: EndpointNotifier,
    private readonly trigger: DispatchTrigger,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Renders, signs and sends one event to one endpoint (no state changes). */
  async send(endpoint: WebhookEndpointDoc, event: WebhookEventDoc): Promise<SendResult> {
    const now = this.clock.now();
    const messageId = messageIdOf(event._id);
    const { body } = render(
      endpoint.format,
      {
        id: messageId,
        type: event.type as WebhookEventType,
        occurredAt: event.occurredAt,
        organizationId: event.organizationId,
        data: event.data,
      },
      endpoint.language,
      `${this.config.http.publicUrl}${apiPath('webhooks', 'messages', event._id)}`,
    );
    const secrets = endpoint.secrets
      .filter((s) => !s.expiresAt || s.expiresAt.getTime() > now.getTime())
      .map((s) => this.crypto.decrypt(s.cipher, secretAad(endpoint._id, s.id)));
    const headers = signedHeaders(messageId, now, body, secrets);
    const target = await this.sender.target(this.crypto.decrypt(endpoint.urlCipher, urlAad(endpoint._id)));
    if (!target.ok)
      return {
        statusCode: null,
        durationMs: 0,
        error: `refused: ${target.reason}${target.address ? ` (${target.address})` : ''}`,
        response: null,
        retryAfter: null,
      };
    return this.sender.send(target, headers, body);
  }

  /** One attempt of a claimed delivery (the job). Does nothing when the claim is no longer the delivery's. */
  async attempt(
    deliveryId: string,
    claim: string,
    options: { evenIfDisabled?: boolean } = {},
  ): Promise<DeliveryView | null> {
    const { organizationId } = this.context.requireTenant();
    const delivery = await this.deliveries.findFor(organizationId, deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.claim !== claim) return null;
    const n = delivery.attempts + 1;
    const endpoint = await this.endpoints.findById(delivery.endpointId);
    const [event] = await this.events.byIds(organizationId, [delivery.eventId]);
    if (!endpoint || (!endpoint.enabled && !options.evenIfDisabled) || !event) {
      const error = !endpoint ? 'endpoint deleted' : !event ? 'event gone' : 'endpoint disabled';
      await this.record(
        delivery,
        claim,
        n,
        { statusCode: null, durationMs: 0, error, response: null, retryAfter: null },
        true,
      );
      return null;
    }
    const result = await this.send(endpoint, event);
    const final = event.type === 'webhook.test' || result.statusCode === 410;
    const outcome = await this.record(delivery, claim, n, result, final);
    this.metrics.webhookDelivery(
      result.error === null
        ? 'succeeded'
        : result.error.startsWith('refused')
          ? 'refused'
          : outcome?.status === 'pending'
            ? 'retry'
            : 'failed',
      result.durationMs / 1000,
    );
    if (result.error === null) {
      // One write per minute of successes at most: lastSuccessAt is for people, failingSince must clear at once.
      const now = this.clock.now();
      if (
        endpoint.failingSince ||
        !endpoint.lastSuccessAt ||
        now.getTime() - endpoint.lastSuccessAt.getTime() > 60_000
      )
        await this.endpoints.recordSuccess(endpoint._id, now);
    } else if (result.statusCode === 410) await this.disable(endpoint, 'gone');
    else if (endpoint.enabled) {
      const now = this.clock.now();
      // One write per minute of failures at most (the first one sets failingSince).
      if (
        !endpoint.failingSince ||
        !endpoint.lastFailureAt ||
        now.getTime() - endpoint.lastFailureAt.getTime() > 60_000
      )
        await this.endpoints.recordFailure(endpoint._id, now, endpoint.failingSince);
      if (endpoint.failingSince && now.getTime() - endpoint.failingSince.getTime() >= FAILING_DISABLE_MS)
        await this.disable(endpoint, 'failing');
    }
    return outcome ? view({ ...delivery, ...outcome }) : null;
  }

  private async record(
    delivery: WebhookDeliveryDoc,
    claim: string,
    n: number,
    result: SendResult,
    final: boolean,
  ): Promise<AttemptOutcome | null> {
    const now = this.clock.now();
    const ok = result.error === null;
    const next = ok || final ? null : nextAttemptAt(n, now, parseRetryAfter(result.retryAfter, now));
    const outcome: AttemptOutcome = {
      status: ok ? 'succeeded' : next ? 'pending' : 'failed',
      attempts: n,
      nextAttemptAt: next,
      lastStatusCode: result.statusCode,
      lastError: result.error,
      deliveredAt: ok ? now : null,
    };
    const attempt: DeliveryAttempt = {
      n,
      at: now,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      error: result.error,
      response: result.response,
    };
    const recorded = await this.deliveries.recordAttempt(
      delivery.organizationId,
      delivery._id,
      claim,
      outcome,
      attempt,
    );
    return recorded ? outcome : null;
  }

  /** Disables an endpoint on the delivery's behalf (410 Gone, or 5 days of failures) and tells the owners. */
  private async disable(endpoint: WebhookEndpointDoc, reason: DisabledReason): Promise<void> {
    const now = this.clock.now();
    const result = await this.endpoints.setEnabled(endpoint._id, false, reason, now);
    if (!result?.before.enabled) return;
    await this.deliveries.failPending(endpoint.organizationId, endpoint._id, `endpoint disabled (${reason})`);
    await this.audit.record({
      action: AuditAction.WebhookEndpointDisabled,
      targetType: WEBHOOKS_RECORD_TYPES.endpoint,
      targetId: endpoint._id,
      changes: { before: { enabled: true }, after: { enabled: false } },
      metadata: { reason, failingSince: endpoint.failingSince?.toISOString() ?? null },
    });
    try {
      await this.notifier.disabled(endpoint, reason);
    } catch (error) {
      this.logger.error(
        { err: error, endpointId: endpoint._id },
        'could not mail the owners about a disabled webhook',
      );
    }
  }

  async list(
    endpointId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Page<DeliveryView>> {
    const { organizationId } = this.context.requireTenant();
    const result = await this.deliveries.pageFor(organizationId, endpointId, status, page);
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<DeliveryView> {
    const { organizationId } = this.context.requireTenant();
    const delivery = await this.deliveries.findFor(organizationId, id);
    if (!delivery) throw notFound(WEBHOOKS_RECORD_TYPES.delivery);
    return view(delivery);
  }

  /** The stored delivery, for the caller's checks (endpoint enabled) before a replay. */
  async require(id: string): Promise<WebhookDeliveryDoc> {
    const { organizationId } = this.context.requireTenant();
    const delivery = await this.deliveries.findFor(organizationId, id);
    if (!delivery) throw notFound(WEBHOOKS_RECORD_TYPES.delivery);
    return delivery;
  }

  /** Sends one delivery again from the start of the schedule (its endpoint must be enabled). */
  async replayDelivery(deliveryId: string): Promise<DeliveryView> {
    const delivery = await this.require(deliveryId);
    const endpoint = await this.endpoints.findById(delivery.endpointId);
    if (!endpoint) throw notFound(WEBHOOKS_RECORD_TYPES.delivery);
    if (!endpoint.enabled) throw new WebhooksError('ENDPOINT_DISABLED');
    await this.deliveries.replayOne(delivery.organizationId, delivery._id, this.clock.now());
    await this.audit.record({
      action: AuditAction.WebhookDeliveriesReplayed,
      targetType: WEBHOOKS_RECORD_TYPES.delivery,
      targetId: deliveryId,
      metadata: { endpointId: endpoint._id },
    });
    this.trigger.soon();
    return this.get(deliveryId);
  }

  replaySince(endpointId: string, since: Date, statuses: DeliveryStatus[]): Promise<number> {
    const { organizationId } = this.context.requireTenant();
    return this.deliveries.replaySince(organizationId, endpointId, since, statuses, this.clock.now());
  }

  failPending(organizationId: string, endpointId: string, error: string): Promise<number> {
    return this.deliveries.failPending(organizationId, endpointId, error);
  }
}
