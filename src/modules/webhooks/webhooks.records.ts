import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RecordRegistry } from '../trash/record-registry';
import { EndpointsRepository } from './endpoints/endpoints.repository';
import type { WebhookEndpointDoc } from './endpoints/endpoints.schema';

/** Record type names in the trash, 404s and audit entries: never rename. */
export const WEBHOOKS_RECORD_TYPES = {
  endpoint: 'webhook_endpoint',
  delivery: 'webhook_delivery',
  event: 'webhook_event',
} as const;

/**
 * Endpoints go to the trash (DELETE answers the undo payload; a restored endpoint keeps its secrets and
 * subscriptions, and while it is in the trash nothing is delivered to it). Deliveries and events are not records
 * people delete.
 */
@Injectable()
export class WebhooksRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly endpoints: EndpointsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register<WebhookEndpointDoc>({
      type: WEBHOOKS_RECORD_TYPES.endpoint,
      find: (id, { withDeleted }) => this.endpoints.findById(id, { withDeleted }),
      label: (e) => `${e.name} (${e.urlMasked})`,
      canOwnFiles: false,
      trash: {
        softDelete: (id, at) => this.endpoints.softDeleteById(id, at),
        restore: (id) => this.endpoints.restoreById(id),
        purge: (id) => this.endpoints.purgeDeleted(id),
      },
    });
  }
}
