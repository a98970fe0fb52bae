import { defineErrors } from '../../common/errors/domain-error';

export const BillingError = defineErrors('BillingError', {
  ACCOUNT_READ_ONLY: [
    403,
    "This organization's account is read-only (free plan or suspended): reading works, changes need Pro",
  ],
  INVOICE_EXISTS: [409, 'An invoice with this number is already registered'],
  INVOICE_ALREADY_PAID: [409, 'The invoice is already marked paid'],
  PLAN_CONFLICT: [409, 'The account is on Pro: downgrade it before granting a trial'],
  INVALID_POLICY: [400, 'The policy is not consistent'],
  INVALID_DATE: [400, 'The date is not acceptable'],
  WEBHOOK_DISABLED: [404, 'Not found'],
  WEBHOOK_SIGNATURE_INVALID: [400, 'The Stripe-Signature header does not verify'],
  WEBHOOK_PAYLOAD_INVALID: [400, 'The webhook body is not a Stripe event'],
});
