import { Injectable } from '@nestjs/common';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import { addDays, addMonthsToDate } from '../../../common/dates';
import { normalizedCost, paymentsBetween } from '../common/schedule';
import type {
  ContractCostsForReports,
  ContractCostForReport,
  ContractForInsights,
  ContractsForInsights,
} from '../contracts.contract';
import type { ContractKind } from '../contracts/contract-kinds';
import type { ContractDoc } from '../contracts/contracts.schema';
import { ContractsRepository } from '../contracts/contracts.repository';
import { ContractsService, statusOn, termsOf } from '../contracts/contracts.service';

/** Statistics sum one currency: the organization's (SEK); contracts in another currency are counted apart. */
export const STATS_CURRENCY = 'SEK';

export interface CostGroup<K> {
  key: K;
  count: number;
  monthly: number;
  yearly: number;
}

export interface ContractStats {
  today: string;
  currency: string;
  /** Active and ending contracts. */
  running: number;
  monthlyTotal: number;
  yearlyTotal: number;
  byKind: CostGroup<ContractKind>[];
  byCategory: CostGroup<string | null>[];
  /** Payments from today to the end of the `months`-th month, per calendar month. */
  upcoming: {
    period: string;
    total: number;
    payments: { contractId: string; name: string; date: string; amount: number }[];
  }[];
  /** Payments of the last 12 months (this month included), per calendar month: recorded amounts where there are. */
  history: { period: string; total: number }[];
  /** Price steps of the last 12 months that raised a price. */
  priceIncreases: {
    contractId: string;
    name: string;
    from: string;
    before: number;
    after: number;
    /** What the increase costs per year at the contract's frequency. */
    yearlyIncrease: number;
  }[];
  otherCurrencies: number;
}

function group<K>(contracts: ContractDoc[], today: string, keyOf: (c: ContractDoc) => K): CostGroup<K>[] {
  const groups = new Map<K, CostGroup<K>>();
  for (const c of contracts) {
    const key = keyOf(c);
    const cost = normalizedCost(termsOf(c), today < c.startDate ? c.startDate : today);
    const g = groups.get(key) ?? { key, count: 0, monthly: 0, yearly: 0 };
    g.count += 1;
    g.monthly += cost.monthly;
    g.yearly += cost.yearly;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.yearly - a.yearly);
}

@Injectable()
export class ContractStatsService implements ContractCostsForReports, ContractsForInsights {
  constructor(
    private readonly contracts: ContractsRepository,
    private readonly service: ContractsService,
    private readonly cache: CacheService,
  ) {}

  /** Cached per organization, months and date until a contract or contract payment of it changes (docs/cache.md). */
  stats(months: number): Promise<ContractStats> {
    const today = this.service.today();
    return this.cache.tenant('contracts.stats', ['contracts', 'contract_payments'], [months, today], () =>
      this.computeStats(months, today),
    );
  }

  private async computeStats(months: number, today: string): Promise<ContractStats> {
    const firstOfMonth = `${today.slice(0, 7)}-01`;
    const historyFrom = addMonthsToDate(firstOfMonth, -11);
    const all = await this.contracts.runningFrom(historyFrom);
    const sek = all.filter((c) => c.currency === STATS_CURRENCY);
    const running = sek.filter((c) => {
      const status = statusOn(c, today);
      return status === 'active' || status === 'ending';
    });
    const byKind = group(running, today, (c) => c.kind);

    const upcomingTo = addDays(addMonthsToDate(firstOfMonth, months), -1);
    const upcoming = new Map<string, ContractStats['upcoming'][number]>();
    const history = new Map<string, number>();
    for (let p = historyFrom; p <= firstOfMonth; p = addMonthsToDate(p, 1)) history.set(p.slice(0, 7), 0);
    const actuals = await this.service.actuals(sek.map((c) => c._id));
    for (const c of sek) {
      const terms = termsOf(c);
      const recorded = actuals.get(c._id);
      for (const payment of paymentsBetween(terms, today, upcomingTo)) {
        const period = payment.date.slice(0, 7);
        const month = upcoming.get(period) ?? { period, total: 0, payments: [] };
        month.total += payment.amount;
        month.payments.push({ contractId: c._id, name: c.name, ...payment });
        upcoming.set(period, month);
      }
      for (const payment of paymentsBetween(terms, historyFrom, today)) {
        const period = payment.date.slice(0, 7);
        history.set(period, (history.get(period) ?? 0) + (recorded?.get(payment.date) ?? payment.amount));
      }
    }
    for (const month of upcoming.values())
      month.payments.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

    const yearAgo = addMonthsToDate(today, -12);
    const priceIncreases: ContractStats['priceIncreases'] = [];
    for (const c of sek) {
      c.prices.forEach((step, i) => {
        const before = c.prices[i - 1];
        if (before && step.from > yearAgo && step.from <= today && step.amount > before.amount) {
          const perYear = normalizedCost(
            { ...termsOf(c), prices: [{ from: step.from, amount: step.amount - before.amount }] },
            step.from,
          );
          priceIncreases.push({
            contractId: c._id,
            name: c.name,
            from: step.from,
            before: before.amount,
            after: step.amount,
            yearlyIncrease: perYear.yearly,
          });
        }
      });
    }

    return {
      today,
      currency: STATS_CURRENCY,
      running: running.length,
      monthlyTotal: byKind.reduce((sum, g) => sum + g.monthly, 0),
      yearlyTotal: byKind.reduce((sum, g) => sum + g.yearly, 0),
      byKind,
      byCategory: group(running, today, (c) => c.categoryId),
      upcoming: [...upcoming.values()].sort((a, b) => (a.period < b.period ? -1 : 1)),
      history: [...history].map(([period, total]) => ({ period, total })),
      priceIncreases: priceIncreases.sort((a, b) => (a.from < b.from ? 1 : -1)),
      otherCurrencies: all.length - sek.length,
    };
  }

  async contractsForInsights(from: string, to: string): Promise<ContractForInsights[]> {
    const contracts = (await this.contracts.runningFrom(from)).filter((c) => c.startDate <= to);
    const actuals = await this.service.actuals(contracts.map((c) => c._id));
    return contracts.map((c) => {
      const recorded = actuals.get(c._id);
      return {
        id: c._id,
        name: c.name,
        providerId: c.providerId,
        categoryId: c.categoryId,
        currency: c.currency,
        startDate: c.startDate,
        endDate: c.endDate,
        variableAmount: c.variableAmount,
        prices: c.prices.map((p) => ({ from: p.from, amount: p.amount })),
        payments: paymentsBetween(termsOf(c), from, to).map((p) => ({
          date: p.date,
          amount: recorded?.get(p.date) ?? p.amount,
        })),
      };
    });
  }

  async reportCosts(
    from: string,
    to: string,
    upcomingMonths: number,
  ): Promise<{
    contracts: ContractCostForReport[];
    upcoming: { date: string; contractId: string; name: string; amount: number }[];
  }> {
    const today = this.service.today();
    const upcomingTo = addDays(addMonthsToDate(`${today.slice(0, 7)}-01`, upcomingMonths), -1);
    const first = from < today ? from : today;
    const sek = (await this.contracts.runningFrom(first)).filter(
      (c) => c.currency === STATS_CURRENCY && c.startDate <= (to > upcomingTo ? to : upcomingTo),
    );
    const actuals = await this.service.actuals(sek.map((c) => c._id));
    const contracts: ContractCostForReport[] = [];
    const upcoming: { date: string; contractId: string; name: string; amount: number }[] = [];
    for (const c of sek) {
      const terms = termsOf(c);
      const recorded = actuals.get(c._id);
      if (c.startDate <= to && (!c.endDate || c.endDate >= from)) {
        const cost = normalizedCost(terms, today < c.startDate ? c.startDate : today);
        const inPeriod = paymentsBetween(terms, from, to).reduce(
          (sum, p) => sum + (recorded?.get(p.date) ?? p.amount),
          0,
        );
        contracts.push({
          id: c._id,
          name: c.name,
          kind: c.kind,
          status: statusOn(c, today),
          currency: c.currency,
          ...cost,
          inPeriod,
        });
      }
      for (const p of paymentsBetween(terms, today, upcomingTo))
        upcoming.push({ date: p.date, contractId: c._id, name: c.name, amount: p.amount });
    }
    contracts.sort((a, b) => b.yearly - a.yearly || (a.name < b.name ? -1 : 1));
    upcoming.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.name < b.name ? -1 : 1));
    return { contracts, upcoming };
  }
}
