import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  DEFAULT_LEAD_DAYS,
  type ReminderOccasion,
  type ReminderSource,
} from '../../reminders/reminders.contract';
import { ReminderSources } from '../../reminders/sources/reminder-sources';
import { POLICY_TYPE_EN, POLICY_TYPE_SV } from '../common/policy-kinds';
import { nextRenewal, yearlyPremium } from '../common/policy-rules';
import { SUPPLIERS, type SuppliersForMatching } from '../economy.ports';
import { INSURANCE_RECORD_TYPES } from '../insurance.records';
import { InsurancePoliciesRepository } from './policies.repository';

/**
 * The policies' occasions for the reminder engine: `insurance.renewal` on the next renewal (the renewal date, or
 * its yearly return once passed), lead times from the policy's `reminderLeadDays`, else 30 and 7 days. The title
 * names the type, the insurer and what it covers; never the policy number.
 */
@Injectable()
export class PolicyReminders implements ReminderSource, OnModuleInit {
  readonly kinds = ['insurance.renewal'] as const;
  readonly sourceType = INSURANCE_RECORD_TYPES.policy;

  constructor(
    private readonly sources: ReminderSources,
    private readonly policies: InsurancePoliciesRepository,
    @Inject(SUPPLIERS) private readonly suppliers: SuppliersForMatching,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async occasions(today: string, ids?: readonly string[]): Promise<ReminderOccasion[]> {
    const policies = (await this.policies.all(ids)).filter((p) => p.renewalDate);
    if (!policies.length) return [];
    const names = policies.some((p) => p.insurerId)
      ? new Map((await this.suppliers.listForMatching()).map((s) => [s.id, s.name]))
      : new Map<string, string>();
    return policies.flatMap((p) => {
      const due = nextRenewal(p.renewalDate, today);
      if (!due) return [];
      const insurer = p.insurerName ?? (p.insurerId ? names.get(p.insurerId) : undefined);
      const what = [insurer, p.item].filter(Boolean).join(', ');
      const suffix = what ? ` (${what})` : '';
      return [
        {
          kind: 'insurance.renewal' as const,
          sourceType: INSURANCE_RECORD_TYPES.policy,
          sourceId: p._id,
          title: {
            sv: `${POLICY_TYPE_SV[p.type]}${suffix} förnyas ${due}`,
            en: `${POLICY_TYPE_EN[p.type]}${suffix} renews on ${due}`,
          },
          trigger: { date: { dueDate: due, leadDays: p.reminderLeadDays ?? DEFAULT_LEAD_DAYS } },
          amount: p.premium === null ? null : yearlyPremium(p.premium, p.premiumPeriod),
          currency: p.currency,
        },
      ];
    });
  }
}
