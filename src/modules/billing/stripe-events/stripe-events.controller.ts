import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { RawBodyRequest } from '../../../common/http/api';
import { Public } from '../../../common/auth/decorators';
import { StripeWebhookResponseDto } from './stripe-events.dto';
import { BillingStripeService } from './stripe-events.service';

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
  @ApiOkResponse({ type: StripeWebhookResponseDto })
  @ApiBadRequestResponse({ description: 'WEBHOOK_SIGNATURE_INVALID or WEBHOOK_PAYLOAD_INVALID' })
  @ApiNotFoundResponse({ description: 'The webhook is off (no STRIPE_WEBHOOK_SECRET)' })
  webhook(@Req() req: RawBodyRequest, @Headers('stripe-signature') signature: string | undefined) {
    return this.stripe.handle(req.rawBody, signature);
  }
}
