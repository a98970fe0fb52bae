import { Injectable } from '@nestjs/common';
import { addDays, daysBetween, stockholmDate } from '../../../common/dates';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import { Clock } from '../../../infrastructure/clock/clock';
import { POLICY_TYPES, RENEWAL_WINDOW_DAYS, type PolicyType } from '../common/policy-kinds';
import { nextRenewal, yearlyPremium } from '../common/policy-rules';
import { InsurancePoliciesRepository } from '../policies/policies.repository';

export interface InsuranceSummary {
  today: string;
  currency: 'SEK';
  policies: number;
  yearlyPremiumTotal: number;
  byType: { type: PolicyType; policies: number; yearlyPremium: number }[];
  renewals: {
    id: string;
    type: PolicyType;
    insurerId: string | null;
    insurerName: string | null;
    nextRenewal: string;
    daysLeft: number;
    yearlyPremium: number;
    currency: string;
  }[];
  otherCurrencies: number;
}

/**
 * What the organization pays for insurance a year (total and per type, SEK only) and what renews within 60 days.
 * Summed in TypeScript: a premium per year depends on the period, and an organization has a handful of policies.
 */
@Injectable()
export class InsuranceSummaryService {
  constructor(
    private readonly policies: InsurancePoliciesRepository,
    private readonly clock: Clock,
    private readonly cache: CacheService,
  ) {}

  /** Cached per organization and date until a policy of it changes (docs/cache.md). */
  summary(): Promise<InsuranceSummary> {
    const today = stockholmDate(this.clock.now());
    return this.cache.tenant('insurance.summary', ['insurance_policies'], [today], () => this.compute(today));
  }

  private async compute(today: string): Promise<InsuranceSummary> {
    const until = addDays(today, RENEWAL_WINDOW_DAYS);
    const byType = new Map<PolicyType, { policies: number; yearlyPremium: number }>();
    const out: InsuranceSummary = {
      today,
      currency: 'SEK',
      policies: 0,
      yearlyPremiumTotal: 0,
      byType: [],
      renewals: [],
      otherCurrencies: 0,
    };
    for (const p of await this.policies.all()) {
      const yearly = yearlyPremium(p.premium, p.premiumPeriod);
      const renewal = nextRenewal(p.renewalDate, today);
      if (renewal && renewal <= until)
        out.renewals.push({
          id: p._id,
          type: p.type,
          insurerId: p.insurerId,
          insurerName: p.insurerName,
          nextRenewal: renewal,
          daysLeft: daysBetween(today, renewal),
          yearlyPremium: yearly,
          currency: p.currency,
        });
      if (p.currency !== 'SEK') {
        out.otherCurrencies += 1;
        continue;
      }
      out.policies += 1;
      out.yearlyPremiumTotal += yearly;
      const group = byType.get(p.type) ?? { policies: 0, yearlyPremium: 0 };
      group.policies += 1;
      group.yearlyPremium += yearly;
      byType.set(p.type, group);
    }
    out.byType = POLICY_TYPES.flatMap((type) => {
      const group = byType.get(type);
      return group ? [{ type, ...group }] : [];
    });
    out.renewals.sort((a, b) =>
      a.nextRenewal === b.nextRenewal ? (a.id < b.id ? -1 : 1) : a.nextRenewal < b.nextRenewal ? -1 : 1,
    );
    return out;
  }
}
