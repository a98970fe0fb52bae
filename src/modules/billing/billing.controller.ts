import { Body, Controller, Get, Headers, HttpCode, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { RawBodyRequest } from '../../common/http/api';
import { AllowWhenReadOnly, OrgScoped, Public } from '../../common/auth/decorators';
import { AcceptBillingInvitationDto, UpdateBillingDetailsDto } from './billing.dto';
import { BillingInvitationsService } from './billing-invitations.service';
import { BillingService } from './billing.service';
import { BillingStripeService } from './billing-stripe.service';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('billing')
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly invitations: BillingInvitationsService,
  ) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary: "The current organization's plan, status, dates, access, banner and invoices",
    description:
      '`access` is `full` or `read_only`; `banner` is what to show ({level, code, message: {sv, en}, daysLeft}) or null. ' +
      'Dates are instants; each period, grace and trial ends at 00:00 Stockholm time on its date.',
  })
  @ApiOkResponse({ description: 'The billing view' })
  get() {
    return this.billing.current();
  }

  @Patch('details')
  @OrgScoped('admin')
  @ApiOperation({
    summary: "Change the organization's billing contact, invoice address, organisationsnummer or reference",
    description: 'Owners and admins. Refused with 403 ACCOUNT_READ_ONLY while the account is read-only.',
  })
  @ApiOkResponse({ description: 'The billing view' })
  @ApiForbiddenResponse({ description: 'ACCOUNT_READ_ONLY or INSUFFICIENT_ORG_ROLE' })
  updateDetails(@Body() body: UpdateBillingDetailsDto) {
    return this.billing.updateDetails(body);
  }

  @Post('invitations/accept')
  @HttpCode(200)
  @OrgScoped('admin')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: "Accept a platform admin's plan invitation for the current organization (owners and admins)",
    description: 'The invitation must have been sent to your email address. The plan applies at once.',
  })
  @ApiOkResponse({ description: 'The billing view after the change' })
  accept(@Body() body: AcceptBillingInvitationDto) {
    return this.invitations.accept(body.token);
  }
}

@ApiTags('billing')
@Controller('billing/stripe')
export class StripeWebhookController {
  constructor(private readonly stripe: BillingStripeService) {}

  @Post('webhook')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Stripe webhook (customer.subscription.created|updated|deleted, invoice.paid, invoice.payment_failed)',
    description:
      'Verifies Stripe-Signature (HMAC-SHA256 over `t.rawBody`, 5-minute tolerance) with STRIPE_WEBHOOK_SECRET. ' +
      'An event id seen before is acknowledged and ignored. 404 while STRIPE_WEBHOOK_SECRET is unset.',
  })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiOkResponse({ description: '{received: true, eventId, outcome}' })
  @ApiBadRequestResponse({ description: 'WEBHOOK_SIGNATURE_INVALID or WEBHOOK_PAYLOAD_INVALID' })
  @ApiNotFoundResponse({ description: 'The webhook is off (no STRIPE_WEBHOOK_SECRET)' })
  webhook(@Req() req: RawBodyRequest, @Headers('stripe-signature') signature: string | undefined) {
    return this.stripe.handle(req.rawBody, signature);
  }
}
