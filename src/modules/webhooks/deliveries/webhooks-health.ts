import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../../infrastructure/clock/clock';
import { HealthContributors } from '../../../infrastructure/health/health-contributors';
import type { WebhooksHealthSummary } from '../webhooks.contract';
import { DeliveriesRepository } from './deliveries.repository';

/** A backlog older than this makes the webhooks contributor `degraded`. */
const STALE_PENDING_SECONDS = 3_600;

/**
 * Delivery health (`/admin/system` → `webhooks`): endpoints failing (those with a pending delivery that has failed
 * at least once — an endpoint that is down and still being retried), deliveries pending and the oldest one's age.
 */
@Injectable()
export class WebhooksHealth implements OnModuleInit {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly clock: Clock,
    private readonly health: HealthContributors,
  ) {}

  onModuleInit(): void {
    this.health.register({
      name: 'webhooks',
      check: async () => {
        const summary = await this.summary();
        const reasons: string[] = [];
        if (summary.endpointsFailing)
          reasons.push(`webhooks: ${summary.endpointsFailing} endpoint(s) failing, deliveries being retried`);
        if (summary.oldestPendingAgeSeconds > STALE_PENDING_SECONDS)
          reasons.push(
            `webhooks: oldest pending delivery is ${Math.round(summary.oldestPendingAgeSeconds / 60)} min old`,
          );
        return { status: reasons.length ? 'degraded' : 'ok', details: { ...summary }, reasons };
      },
    });
  }

  async summary(): Promise<WebhooksHealthSummary> {
    const [pending, failing] = await Promise.all([
      this.deliveries.pendingSummary(),
      this.deliveries.failingEndpoints(),
    ]);
    const age = pending.oldest ? (this.clock.now().getTime() - pending.oldest.getTime()) / 1000 : 0;
    return {
      endpointsFailing: failing,
      deliveriesPending: pending.count,
      oldestPendingAgeSeconds: Math.max(0, Math.round(age)),
    };
  }
}
