import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { BillingAccessGuard } from './billing-access.guard';
import { BillingAdminController } from './admin/admin.controller';
import { BillingAdminService } from './admin/admin.service';
import { BillingController } from './accounts/accounts.controller';
import { StripeWebhookController } from './stripe-events/stripe-events.controller';
import { BillingInvitationsService } from './invitations/invitations.service';
import { BillingJobs } from './accounts/accounts.jobs';
import { BillingNotifier } from './accounts/billing.notifier';
import { BillingAccountsRepository } from './accounts/accounts.repository';
import { BillingAccountEntity, BillingAccountSchema } from './accounts/accounts.schema';
import { BillingInvoicesRepository } from './invoices/invoices.repository';
import { BillingInvoiceEntity, BillingInvoiceSchema } from './invoices/invoices.schema';
import { BillingPolicyRepository } from './policy/policy.repository';
import { BillingPolicyEntity, BillingPolicySchema } from './policy/policy.schema';
import { BillingNoticesRepository } from './notices/notices.repository';
import { BillingNoticeEntity, BillingNoticeSchema } from './notices/notices.schema';
import { BillingInvitationsRepository } from './invitations/invitations.repository';
import { BillingInvitationEntity, BillingInvitationSchema } from './invitations/invitations.schema';
import { StripeEventsRepository } from './stripe-events/stripe-events.repository';
import { StripeEventEntity, StripeEventSchema } from './stripe-events/stripe-events.schema';
import { BillingService } from './accounts/accounts.service';
import { BillingStripeService } from './stripe-events/stripe-events.service';
import { BillingTransitionsService } from './accounts/transitions.service';
import { ManualBillingProvider } from './providers/manual.provider';
import { StripeBillingProvider } from './providers/stripe.provider';

/**
 * Billing of WestWallet itself (docs/billing.md). Exports the read-only guard (registered as APP_GUARD in
 * app.module.ts) and the invitations service (AuthService applies a pending invitation after email verification).
 * Organizations and their owners are read through the organizations module's `ORGANIZATIONS_DIRECTORY` port and
 * users through the users module's `USERS` port; this module registers only its own models.
 */
@Module({
  imports: [
    UsersModule,
    OrganizationsModule,
    MongooseModule.forFeature([
      { name: BillingAccountEntity.name, schema: BillingAccountSchema },
      { name: BillingInvoiceEntity.name, schema: BillingInvoiceSchema },
      { name: BillingPolicyEntity.name, schema: BillingPolicySchema },
      { name: BillingNoticeEntity.name, schema: BillingNoticeSchema },
      { name: BillingInvitationEntity.name, schema: BillingInvitationSchema },
      { name: StripeEventEntity.name, schema: StripeEventSchema },
    ]),
  ],
  controllers: [BillingController, StripeWebhookController, BillingAdminController],
  providers: [
    BillingAccountsRepository,
    BillingInvoicesRepository,
    BillingPolicyRepository,
    BillingNoticesRepository,
    BillingInvitationsRepository,
    StripeEventsRepository,
    BillingNotifier,
    BillingService,
    BillingTransitionsService,
    BillingAdminService,
    BillingInvitationsService,
    BillingStripeService,
    BillingJobs,
    BillingAccessGuard,
    ManualBillingProvider,
    StripeBillingProvider,
  ],
  // BillingAdminService: the notifications module's mass mail lists organizations by plan or status through it
  exports: [BillingAccessGuard, BillingInvitationsService, BillingAdminService],
})
export class BillingModule {}
