import { Injectable } from '@nestjs/common';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import { Clock } from '../../../infrastructure/clock/clock';
import { CategoriesService, type CategoryLabel } from '../categories/categories.service';
import { rootOf } from '../categories/category-tree';
import { addMonths, periodBounds, periodOf, periodsBetween, stockholmDate } from '../common/dates';
import type { GroupRow } from '../../../infrastructure/mongo/repositories';
import { SuppliersService } from '../suppliers/suppliers.service';
import { TransactionsRepository } from '../transactions/transactions.repository';

export type StatsGroupBy = 'month' | 'category' | 'supplier';

export interface Totals {
  income: number;
  expense: number;
  /** income − expense */
  net: number;
  count: number;
}

export interface StatsGroup extends Totals {
  /** `YYYY-MM`, a category id or a supplier id; null = no category / no supplier. */
  key: string | null;
  label: string | null;
}

export interface StatsResult {
  from: string;
  to: string;
  groupBy: StatsGroupBy;
  currency: string;
  totals: Totals;
  groups: StatsGroup[];
}

export interface Dashboard {
  currency: string;
  today: string;
  thisMonth: Totals & { period: string };
  lastMonth: Totals & { period: string };
  /** Percent change this month vs last (one decimal); null when last month was 0. */
  change: { income: number | null; expense: number | null };
  /** This month's largest expense categories, rolled up to their root category. */
  topCategories: { categoryId: string | null; name: string | null; amount: number; share: number }[];
  /** The last 12 months, oldest first, this month last. */
  trend: (Totals & { period: string })[];
  /** Over the 12 months of the trend. `savingsRate` = net / income (null without income). */
  incomeVsExpense: Totals & { savingsRate: number | null };
}

export interface StatsQuery {
  from: string;
  to: string;
  groupBy: StatsGroupBy;
  currency: string;
  rollup?: boolean;
}

/** The collections statistics and the dashboard read (their cache generations). */
const STATS_READS = ['transactions', 'categories', 'suppliers'];

const zero = (): Totals => ({ income: 0, expense: 0, net: 0, count: 0 });
const TOP_CATEGORIES = 5;
const NO_CATEGORY = 'Utan kategori';
const NO_SUPPLIER = 'Utan leverantör';

function add(target: Totals, row: GroupRow<'key' | 'type', 'total' | 'count'>): void {
  if (row._id.type === 'income') target.income += row.total;
  else target.expense += row.total;
  target.net = target.income - target.expense;
  target.count += row.count;
}

const percent = (now: number, before: number): number | null =>
  before === 0 ? null : Math.round(((now - before) / before) * 1000) / 10;

/**
 * Statistics over transactions. The database only groups and sums on stored keys (`period`, `categoryId`,
 * `supplierId` × `type`, one currency, a date range on the indexed `date`) — what FerretDB can do; labels,
 * roll-ups, empty months, percentages and ratios are computed here.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly transactions: TransactionsRepository,
    private readonly categories: CategoriesService,
    private readonly suppliers: SuppliersService,
    private readonly clock: Clock,
    private readonly cache: CacheService,
  ) {}

  /** Cached per organization until a transaction, category or supplier of it changes (docs/cache.md). */
  stats(q: StatsQuery): Promise<StatsResult> {
    return this.cache.tenant('economy.stats', STATS_READS, [q], () => this.computeStats(q));
  }

  /** Cached like `stats`, per currency and Stockholm date. */
  dashboard(currency: string): Promise<Dashboard> {
    const today = this.today();
    return this.cache.tenant('economy.dashboard', STATS_READS, [currency, today], () =>
      this.computeDashboard(currency, today),
    );
  }

  private todayMemo = { second: NaN, date: '' };

  /** The Stockholm date, formatted once per second of the Clock (a cache hit is cheaper than the Intl format). */
  private today(): string {
    const now = this.clock.now();
    const second = Math.floor(now.getTime() / 1000);
    if (second !== this.todayMemo.second) this.todayMemo = { second, date: stockholmDate(now) };
    return this.todayMemo.date;
  }

  private async computeStats(q: StatsQuery): Promise<StatsResult> {
    const key = q.groupBy === 'month' ? 'period' : q.groupBy === 'category' ? 'categoryId' : 'supplierId';
    const rows = await this.transactions.totals(key, {
      dateFrom: q.from,
      dateTo: q.to,
      currency: q.currency,
    });
    const totals = zero();
    const groups = new Map<string | null, StatsGroup>();
    const labels = await this.labelsFor(q.groupBy, rows);
    const categoryNodes =
      q.groupBy === 'category' && q.rollup
        ? [...(labels as Map<string, CategoryLabel>).entries()].map(([id, l]) => ({
            _id: id,
            parentId: l.parentId,
            name: l.name,
          }))
        : null;
    if (q.groupBy === 'month') {
      for (const period of periodsBetween(periodOf(q.from), periodOf(q.to))) {
        groups.set(period, { key: period, label: period, ...zero() });
      }
    }
    for (const row of rows) {
      add(totals, row);
      let groupKey = row._id.key;
      if (categoryNodes && groupKey) groupKey = rootOf(categoryNodes, groupKey);
      const group = groups.get(groupKey) ?? {
        key: groupKey,
        label: this.label(q.groupBy, groupKey, labels),
        ...zero(),
      };
      add(group, row);
      groups.set(groupKey, group);
    }
    const list = [...groups.values()];
    if (q.groupBy === 'month') list.sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : 1));
    else
      list.sort(
        (a, b) =>
          b.income + b.expense - (a.income + a.expense) || ((a.label ?? '') < (b.label ?? '') ? -1 : 1),
      );
    return { from: q.from, to: q.to, groupBy: q.groupBy, currency: q.currency, totals, groups: list };
  }

  /** This month vs last, top categories, 12-month trend, income vs expense — months in the Swedish calendar. */
  private async computeDashboard(currency: string, today: string): Promise<Dashboard> {
    const thisPeriod = periodOf(today);
    const lastPeriod = addMonths(thisPeriod, -1);
    const firstPeriod = addMonths(thisPeriod, -11);
    const [byMonth, byCategory, labels] = await Promise.all([
      this.transactions.totals('period', {
        dateFrom: periodBounds(firstPeriod).from,
        dateTo: periodBounds(thisPeriod).to,
        currency,
      }),
      this.transactions.totals('categoryId', { ...this.range(thisPeriod), currency }),
      this.categories.labels(),
    ]);
    const months = new Map(periodsBetween(firstPeriod, thisPeriod).map((p) => [p, { period: p, ...zero() }]));
    const overall = zero();
    for (const row of byMonth) {
      const month = row._id.key ? months.get(row._id.key) : undefined;
      if (!month) continue;
      add(month, row);
      add(overall, row);
    }
    const nodes = [...labels.entries()].map(([id, l]) => ({ _id: id, parentId: l.parentId, name: l.name }));
    const top = new Map<string | null, number>();
    for (const row of byCategory) {
      if (row._id.type !== 'expense') continue;
      const root = row._id.key ? rootOf(nodes, row._id.key) : null;
      top.set(root, (top.get(root) ?? 0) + row.total);
    }
    const thisMonth = months.get(thisPeriod) ?? { period: thisPeriod, ...zero() };
    const lastMonth = months.get(lastPeriod) ?? { period: lastPeriod, ...zero() };
    const topCategories = [...top.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_CATEGORIES)
      .map(([categoryId, amount]) => ({
        categoryId,
        name: categoryId ? (labels.get(categoryId)?.name ?? null) : NO_CATEGORY,
        amount,
        share: thisMonth.expense ? Math.round((amount / thisMonth.expense) * 1000) / 1000 : 0,
      }));
    return {
      currency,
      today,
      thisMonth,
      lastMonth,
      change: {
        income: percent(thisMonth.income, lastMonth.income),
        expense: percent(thisMonth.expense, lastMonth.expense),
      },
      topCategories,
      trend: [...months.values()],
      incomeVsExpense: {
        ...overall,
        savingsRate: overall.income ? Math.round((overall.net / overall.income) * 1000) / 1000 : null,
      },
    };
  }

  private range(period: string) {
    const { from, to } = periodBounds(period);
    return { dateFrom: from, dateTo: to };
  }

  private async labelsFor(
    groupBy: StatsGroupBy,
    rows: GroupRow<'key' | 'type', 'total' | 'count'>[],
  ): Promise<Map<string, CategoryLabel | { name: string }>> {
    if (groupBy === 'category') return this.categories.labels();
    if (groupBy === 'supplier') {
      const suppliers = await this.suppliers.byIds(rows.flatMap((r) => (r._id.key ? [r._id.key] : [])));
      return new Map([...suppliers.entries()].map(([id, s]) => [id, { name: s.name }]));
    }
    return new Map();
  }

  private label(
    groupBy: StatsGroupBy,
    key: string | null,
    labels: Map<string, CategoryLabel | { name: string }>,
  ): string | null {
    if (groupBy === 'month') return key;
    if (key === null) return groupBy === 'category' ? NO_CATEGORY : NO_SUPPLIER;
    const label = labels.get(key);
    if (!label) return null;
    return 'path' in label ? label.path : label.name;
  }
}
