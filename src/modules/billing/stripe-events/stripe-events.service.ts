import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { Clock } from '../../../infrastructure/clock/clock';
import { isGlobalId } from '../../../infrastructure/mongo/global-id';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { BillingError } from '../billing.errors';
import { BillingAccountsRepository } from '../accounts/accounts.repository';
import { StripeEventsRepository } from './stripe-events.repository';
import { BillingService } from '../accounts/accounts.service';
import { verifyStripeSignature } from '../providers/stripe-signature';
import { StripeBillingProvider, type StripeEvent } from '../providers/stripe.provider';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';

export type StripeOutcome = 'applied' | 'no_change' | 'ignored' | 'unknown_organization' | 'duplicate';

export interface StripeWebhookResult {
  received: true;
  eventId: string;
  outcome: StripeOutcome;
}

function parseEvent(raw: Buffer): StripeEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const event = value as Partial<StripeEvent> | null;
  if (
    !event ||
    typeof event !== 'object' ||
    typeof event.id !== 'string' ||
    !/^[A-Za-z0-9_]{1,255}$/.test(event.id) ||
    typeof event.type !== 'string' ||
    !event.data ||
    typeof event.data.object !== 'object' ||
    event.data.object === null
  ) {
    return null;
  }
  return event as StripeEvent;
}

/**
 * `POST /billing/stripe/webhook`: verifies the signature over the raw body, ignores an event id seen before (unique
 * insert), maps the event through the Stripe provider and applies it like any other change (audited, mailed).
 * Off (404) while STRIPE_WEBHOOK_SECRET is unset.
 */
@Injectable()
export class BillingStripeService {
  private readonly logger = new Logger(BillingStripeService.name);

  constructor(
    private readonly billing: BillingService,
    private readonly stripe: StripeBillingProvider,
    private readonly events: StripeEventsRepository,
    private readonly accounts: BillingAccountsRepository,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(rawBody: Buffer | undefined, signature: string | undefined): Promise<StripeWebhookResult> {
    const secret = this.config.billing.stripeWebhookSecret;
    if (!secret) throw new BillingError('WEBHOOK_DISABLED');
    if (!rawBody?.length) throw new BillingError('WEBHOOK_PAYLOAD_INVALID');
    const now = this.clock.now();
    const check = verifyStripeSignature(signature, rawBody, secret, Math.floor(now.getTime() / 1000));
    if (!check.ok) throw new BillingError('WEBHOOK_SIGNATURE_INVALID', undefined, { reason: check.reason });
    const event = parseEvent(rawBody);
    if (!event) throw new BillingError('WEBHOOK_PAYLOAD_INVALID');
    if (!(await this.events.claim(event.id, event.type, now))) {
      return { received: true, eventId: event.id, outcome: 'duplicate' };
    }
    try {
      const { outcome, organizationId } = await this.process(event);
      await this.events.setOutcome(event.id, outcome, organizationId);
      return { received: true, eventId: event.id, outcome };
    } catch (error) {
      // forget the event so that Stripe's retry is processed (Stripe retries on a non-2xx answer)
      await this.events.release(event.id);
      throw error;
    }
  }

  private async process(
    event: StripeEvent,
  ): Promise<{ outcome: StripeOutcome; organizationId: string | null }> {
    const change = this.stripe.interpret(event);
    if (!change) return { outcome: 'ignored', organizationId: null };
    let organizationId = change.organizationId;
    if (!organizationId && change.externalSubscriptionId) {
      organizationId = (await this.accounts.findBySubscription(change.externalSubscriptionId))?._id ?? null;
    }
    if (
      !organizationId ||
      !isGlobalId(this.config.globalIdPrefix, organizationId) ||
      !(await this.directory.findOrganization(organizationId))
    ) {
      this.logger.warn(
        { eventId: event.id, type: event.type, organizationId },
        'Stripe event for no known organization',
      );
      return { outcome: 'unknown_organization', organizationId: null };
    }
    const transition = await this.billing.apply(organizationId, change, 'stripe', {
      actorId: null,
      trigger: 'stripe',
      metadata: { stripeEventId: event.id, stripeEventType: event.type },
    });
    const outcome: StripeOutcome = transition ? 'applied' : 'no_change';
    await this.audit.record({
      action: AuditAction.BillingStripeEvent,
      organizationId,
      actorId: null,
      targetType: 'billing_account',
      targetId: organizationId,
      metadata: { eventId: event.id, type: event.type, outcome, description: change.description },
    });
    return { outcome, organizationId };
  }
}
