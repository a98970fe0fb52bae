import { Injectable } from '@nestjs/common';
import { applyPayment, downgrade, grantPro, grantTrial } from '../accounts/billing.state';
import type { BillingProvider, ProviderChange, ProviderInvoice } from './billing-provider';

/** What a platform admin (or an accepted admin invitation) does to an account, Fortnox invoices kept by hand. */
export type ManualCommand =
  | { type: 'grant_pro'; organizationId: string; periodEnd: Date | null; reason: string }
  | { type: 'grant_trial'; organizationId: string; days: number; reason: string }
  | { type: 'downgrade'; organizationId: string; reason: string }
  | { type: 'payment'; organizationId: string; paidAt: Date; invoice: ProviderInvoice; reason: string };

/** The provider in use today: admin actions on the account, payments registered from Fortnox. */
@Injectable()
export class ManualBillingProvider implements BillingProvider<ManualCommand> {
  readonly name = 'manual' as const;

  interpret(command: ManualCommand): ProviderChange {
    const base = {
      organizationId: command.organizationId,
      externalSubscriptionId: null,
      description: command.reason,
    };
    switch (command.type) {
      case 'grant_pro':
        return {
          ...base,
          invoice: null,
          transition: (s, policy, now) => grantPro(s, policy, now, command.periodEnd, command.reason),
        };
      case 'grant_trial':
        return {
          ...base,
          invoice: null,
          transition: (s, _policy, now) => grantTrial(s, now, command.days, command.reason),
        };
      case 'downgrade':
        return { ...base, invoice: null, transition: (s, _policy, now) => downgrade(s, now, command.reason) };
      case 'payment':
        return {
          ...base,
          invoice: command.invoice,
          transition: (s, policy) => applyPayment(s, policy, command.paidAt, command.reason),
        };
    }
  }
}
