import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RemindersModule } from '../reminders/reminders.module';
import { UsersModule } from '../users/users.module';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveryJobs } from './deliveries/deliveries.jobs';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { WebhookDeliveryEntity, WebhookDeliverySchema } from './deliveries/deliveries.schema';
import { DeliveriesService } from './deliveries/deliveries.service';
import { DispatchTrigger } from './deliveries/dispatch-trigger';
import { DispatcherService } from './deliveries/dispatcher.service';
import { EndpointNotifier } from './deliveries/endpoint-notifier';
import { WebhookSender } from './deliveries/sender';
import { WebhooksHealth } from './deliveries/webhooks-health';
import { EndpointsController } from './endpoints/endpoints.controller';
import { EndpointsRepository } from './endpoints/endpoints.repository';
import { WebhookEndpointEntity, WebhookEndpointSchema } from './endpoints/endpoints.schema';
import { EndpointsService } from './endpoints/endpoints.service';
import { EventsController } from './events/events.controller';
import { EventsRepository } from './events/events.repository';
import { WebhookEventEntity, WebhookEventSchema } from './events/events.schema';
import { EventsService } from './events/events.service';
import { OutboxService } from './events/outbox.service';
import { NetworksController } from './networks/networks.controller';
import { NetworksRepository } from './networks/networks.repository';
import { AllowedNetworkEntity, AllowedNetworkSchema } from './networks/networks.schema';
import { NetworksService } from './networks/networks.service';
import { WEBHOOK_EVENTS } from './webhooks.contract';
import { WebhooksRecords } from './webhooks.records';

/**
 * Webhooks (docs/webhooks.md): endpoints subscribe to event types; audited changes, due reminders and published
 * events go to an outbox in the same call, and a Clock-driven dispatcher delivers them per Standard Webhooks
 * (JSON, Discord, Slack, Home Assistant) through the SSRF guard, with retries, replays and secret rotation.
 * Exports `WEBHOOK_EVENTS` (the publish API of webhooks.contract.ts) and `WebhooksHealth`.
 */
@Module({
  imports: [
    RemindersModule,
    OrganizationsModule,
    UsersModule,
    MongooseModule.forFeature([
      { name: WebhookEndpointEntity.name, schema: WebhookEndpointSchema },
      { name: WebhookEventEntity.name, schema: WebhookEventSchema },
      { name: WebhookDeliveryEntity.name, schema: WebhookDeliverySchema },
      { name: AllowedNetworkEntity.name, schema: AllowedNetworkSchema },
    ]),
  ],
  controllers: [EventsController, EndpointsController, DeliveriesController, NetworksController],
  providers: [
    EndpointsRepository,
    EventsRepository,
    DeliveriesRepository,
    NetworksRepository,
    NetworksService,
    WebhookSender,
    DispatchTrigger,
    DispatcherService,
    EndpointNotifier,
    DeliveriesService,
    OutboxService,
    EventsService,
    EndpointsService,
    DeliveryJobs,
    WebhooksHealth,
    WebhooksRecords,
    { provide: WEBHOOK_EVENTS, useExisting: OutboxService },
  ],
  exports: [WEBHOOK_EVENTS, WebhooksHealth],
})
export class WebhooksModule {}
