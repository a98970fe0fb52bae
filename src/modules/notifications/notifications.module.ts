import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BillingModule } from '../billing/billing.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RemindersModule } from '../reminders/reminders.module';
import { UsersModule } from '../users/users.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DeliveryJobs } from './delivery/delivery.jobs';
import { DeliveryService } from './delivery/delivery.service';
import { NotificationFeeds } from './delivery/feeds';
import { WebhookChannel } from './delivery/webhook-channel';
import { InboxController } from './inbox/inbox.controller';
import { NotificationsRepository } from './inbox/inbox.repository';
import { NotificationEntity, NotificationSchema } from './inbox/inbox.schema';
import { InboxService } from './inbox/inbox.service';
import { MassMailController } from './mass-mail/mass-mail.controller';
import { MassMailJobs } from './mass-mail/mass-mail.jobs';
import { MassMailRecipientsRepository, MassMailsRepository } from './mass-mail/mass-mail.repository';
import {
  MassMailEntity,
  MassMailRecipientEntity,
  MassMailRecipientSchema,
  MassMailSchema,
} from './mass-mail/mass-mail.schema';
import { MassMailService } from './mass-mail/mass-mail.service';
import { NOTIFICATION_EVENTS, NOTIFICATION_WEBHOOKS } from './notifications.contract';
import { NOTIFICATION_PORTS } from './ports';
import { NotificationSettingsController, UnsubscribeController } from './settings/settings.controller';
import { NotificationSettingsRepository } from './settings/settings.repository';
import { NotificationSettingsEntity, NotificationSettingsSchema } from './settings/settings.schema';
import { NotificationSettingsService } from './settings/settings.service';

/**
 * Notifications (docs/notifications.md): per-person settings, the in-app list, mail and webhook delivery fed by the
 * reminder engine and audited changes, the daily digest and weekly summary, and admin mass mails. Exports the
 * `NOTIFICATION_EVENTS` entry point (imports finished or failed).
 */
@Module({
  imports: [
    UsersModule,
    OrganizationsModule,
    BillingModule,
    RemindersModule,
    WebhooksModule,
    MongooseModule.forFeature([
      { name: NotificationEntity.name, schema: NotificationSchema },
      { name: NotificationSettingsEntity.name, schema: NotificationSettingsSchema },
      { name: MassMailEntity.name, schema: MassMailSchema },
      { name: MassMailRecipientEntity.name, schema: MassMailRecipientSchema },
    ]),
  ],
  controllers: [InboxController, NotificationSettingsController, UnsubscribeController, MassMailController],
  providers: [
    ...NOTIFICATION_PORTS,
    NotificationsRepository,
    NotificationSettingsRepository,
    MassMailsRepository,
    MassMailRecipientsRepository,
    NotificationSettingsService,
    InboxService,
    DeliveryService,
    NotificationFeeds,
    DeliveryJobs,
    MassMailService,
    MassMailJobs,
    { provide: NOTIFICATION_EVENTS, useExisting: DeliveryService },
    WebhookChannel,
    { provide: NOTIFICATION_WEBHOOKS, useExisting: WebhookChannel },
  ],
  exports: [NOTIFICATION_EVENTS],
})
export class NotificationsModule {}
