import { Inject, Injectable } from '@nestjs/common';
import { addDays, addMonthsToDate, stockholmDate } from '../../../common/dates';
import { RequestContext } from '../../../common/context/request-context';
import { Clock } from '../../../infrastructure/clock/clock';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';
import type { ReportLocale } from '../common/format';
import { textsFor } from '../common/texts';
import { ReportsError } from '../reports.errors';
import {
  REPORT_BILLS,
  REPORT_CARS,
  REPORT_CATEGORIES,
  REPORT_CONTRACTS,
  REPORT_SUPPLIERS,
  REPORT_TRANSACTIONS,
  type BillsForReports,
  type CarCostsForReports,
  type CategoriesForReports,
  type ContractCostsForReports,
  type SuppliersForReports,
  type TransactionsForReports,
} from '../reports.ports';
import type { ReportData, ReportKind, ReportTransaction, Sums, TransactionSource } from './report-data';

export const REPORT_CURRENCY = 'SEK';
/** Upcoming payments: from today to the end of the third month. */
const UPCOMING_MONTHS = 3;
/** At most this many open bills in the upcoming payments. */
const UPCOMING_BILLS = 200;
const PAGE = 1000;

export interface ReportQuery {
  kind: ReportKind;
  period: string;
  locale: ReportLocale;
  categoryIds?: string[];
  /** BAS account numbers: the categories carrying them (and their subcategories). */
  accounts?: string[];
}

type Labels = Awaited<ReturnType<CategoriesForReports['labels']>>;

const zero = (): Sums => ({ income: 0, expense: 0, net: 0, count: 0 });
function add(target: Sums, row: { type: 'income' | 'expense'; total: number; count: number }): void {
  if (row.type === 'income') target.income += row.total;
  else target.expense += row.total;
  target.net = target.income - target.expense;
  target.count += row.count;
}

/** `2026-11` / `2026` → the first and last calendar day; anything else → 400 INVALID_PERIOD. */
export function periodRange(kind: ReportKind, period: string): { from: string; to: string } {
  const ok = kind === 'monthly' ? /^\d{4}-(0[1-9]|1[0-2])$/.test(period) : /^\d{4}$/.test(period);
  const year = Number(period.slice(0, 4));
  if (!ok || year < 1900 || year > 2199)
    throw new ReportsError('INVALID_PERIOD', undefined, { kind, period });
  if (kind === 'yearly') return { from: `${period}-01-01`, to: `${period}-12-31` };
  const from = `${period}-01`;
  return { from, to: addDays(addMonthsToDate(from, 1), -1) };
}

/** The category and its descendants, over the labels' parent links. */
function withDescendants(labels: Labels, roots: string[]): Set<string> {
  const out = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, l] of labels)
      if (l.parentId && out.has(l.parentId) && !out.has(id)) {
        out.add(id);
        grew = true;
      }
  }
  return out;
}

function rootOf(labels: Labels, id: string): string {
  let current = id;
  for (let guard = 0; guard < 50; guard += 1) {
    const parent = labels.get(current)?.parentId;
    if (!parent || !labels.has(parent)) return current;
    current = parent;
  }
  return current;
}

/**
 * Collects what a report shows from the economy, contracts and cars modules (through their contracts). The database
 * only groups and sums on stored keys (`period`, `categoryId`, `supplierId` × `type`) — what FerretDB v1 does (one
 * pipeline per accumulator there); labels, roll-ups, shares and empty months are computed here.
 */
@Injectable()
export class ReportDataService {
  constructor(
    @Inject(REPORT_TRANSACTIONS) private readonly transactions: TransactionsForReports,
    @Inject(REPORT_CATEGORIES) private readonly categories: CategoriesForReports,
    @Inject(REPORT_SUPPLIERS) private readonly suppliers: SuppliersForReports,
    @Inject(REPORT_CONTRACTS) private readonly contracts: ContractCostsForReports,
    @Inject(REPORT_CARS) private readonly cars: CarCostsForReports,
    @Inject(REPORT_BILLS) private readonly bills: BillsForReports,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly organizations: OrganizationsDirectory,
    private readonly clock: Clock,
    private readonly context: RequestContext,
  ) {}

  /**
   * The categories a filter selects (undefined: no filter). Unknown category ids → 400 INVALID_REFERENCE
   * (`details.field` `categoryIds`); both filters given → the categories in both.
   */
  async selection(
    q: Pick<ReportQuery, 'categoryIds' | 'accounts'>,
    labels?: Labels,
  ): Promise<string[] | undefined> {
    if (!q.categoryIds?.length && !q.accounts?.length) return undefined;
    const all = labels ?? (await this.categories.labels());
    let selected: Set<string> | undefined;
    if (q.categoryIds?.length) {
      const missing = q.categoryIds.filter((id) => !all.has(id));
      if (missing.length)
        throw new ReportsError('INVALID_REFERENCE', undefined, { field: 'categoryIds', ids: missing });
      selected = withDescendants(all, q.categoryIds);
    }
    if (q.accounts?.length) {
      const wanted = new Set(q.accounts);
      const byAccount = withDescendants(
        all,
        [...all].filter(([, l]) => l.basAccount !== null && wanted.has(l.basAccount)).map(([id]) => id),
      );
      selected = selected ? new Set([...selected].filter((id) => byAccount.has(id))) : byAccount;
    }
    return [...(selected ?? [])].sort();
  }

  async build(q: ReportQuery): Promise<{ data: ReportData; rows: TransactionSource }> {
    const t = textsFor(q.locale);
    const { from, to } = periodRange(q.kind, q.period);
    const labels = await this.categories.labels();
    const categoryIds = await this.selection(q, labels);
    const filter = { dateFrom: from, dateTo: to, currency: REPORT_CURRENCY, categoryIds };
    const lastPeriod = to.slice(0, 7);
    const trendFrom = addMonthsToDate(`${lastPeriod}-01`, -11);
    const { organizationId } = this.context.requireTenant();
    const today = stockholmDate(this.clock.now());
    const upcomingTo = addDays(addMonthsToDate(`${today.slice(0, 7)}-01`, UPCOMING_MONTHS), -1);
    const [byCategory, bySupplier, byMonth, contracts, cars, bills, organization] = await Promise.all([
      this.transactions.reportTotals('categoryId', filter),
      this.transactions.reportTotals('supplierId', filter),
      this.transactions.reportTotals('period', { ...filter, dateFrom: trendFrom }),
      this.contracts.reportCosts(from, to, UPCOMING_MONTHS),
      this.cars.reportCosts(from, to),
      this.bills.openBillsDue(today, upcomingTo, UPCOMING_BILLS),
      this.organizations.findOrganization(organizationId),
    ]);

    const totals = zero();
    const categories = new Map<string | null, Sums>();
    for (const row of byCategory) {
      add(totals, row);
      const sums = categories.get(row.key) ?? zero();
      add(sums, row);
      categories.set(row.key, sums);
    }
    const shares = new Map<string, number>();
    for (const [id, sums] of categories) {
      if (!sums.expense) continue;
      const name = id ? (labels.get(rootOf(labels, id))?.name ?? t.noCategory) : t.noCategory;
      shares.set(name, (shares.get(name) ?? 0) + sums.expense);
    }
    const share = (amount: number) => (totals.expense ? amount / totals.expense : 0);

    const supplierSums = new Map<string | null, Sums>();
    for (const row of bySupplier) {
      const sums = supplierSums.get(row.key) ?? zero();
      add(sums, row);
      supplierSums.set(row.key, sums);
    }
    const supplierNames = await this.suppliers.byIds([...supplierSums.keys()].flatMap((k) => (k ? [k] : [])));

    const months = new Map<string, Sums & { period: string }>();
    for (let p = trendFrom; p <= `${lastPeriod}-01`; p = addMonthsToDate(p, 1))
      months.set(p.slice(0, 7), { period: p.slice(0, 7), ...zero() });
    for (const row of byMonth) {
      const month = row.key ? months.get(row.key) : undefined;
      if (month) add(month, row);
    }

    const bySize = (a: Sums & { name: string }, b: Sums & { name: string }) =>
      b.income + b.expense - (a.income + a.expense) || a.name.localeCompare(b.name, 'sv');
    const data: ReportData = {
      kind: q.kind,
      period: q.period,
      from,
      to,
      generatedOn: today,
      organizationName: organization?.name ?? '',
      locale: q.locale,
      currency: REPORT_CURRENCY,
      filters: {
        categories: (q.categoryIds ?? []).map((id) => labels.get(id)?.path ?? id),
        accounts: q.accounts ?? [],
      },
      totals,
      trend: [...months.values()],
      byCategory: [...categories]
        .map(([id, sums]) => ({
          id,
          name: id ? (labels.get(id)?.path ?? t.noCategory) : t.noCategory,
          ...sums,
          share: share(sums.expense),
        }))
        .sort(bySize),
      expenseShares: [...shares]
        .map(([name, amount]) => ({ name, amount, share: share(amount) }))
        .sort((a, b) => b.amount - a.amount),
      bySupplier: [...supplierSums]
        .map(([id, sums]) => ({
          id,
          name: id ? (supplierNames.get(id)?.name ?? t.noSupplier) : t.noSupplier,
          ...sums,
        }))
        .sort(bySize),
      contracts: contracts.contracts.map((c) => ({
        id: c.id,
        name: c.name,
        kind: c.kind,
        status: c.status,
        monthly: c.monthly,
        yearly: c.yearly,
        inPeriod: c.inPeriod,
      })),
      cars: cars.map((c) => ({
        id: c.carId,
        name: c.name,
        registration: c.registrationDisplay,
        total: c.total,
        byType: c.byType,
      })),
      upcoming: [
        ...contracts.upcoming.map((u) => ({
          date: u.date,
          name: u.name,
          amount: u.amount,
          source: 'contract' as const,
        })),
        ...bills
          .filter((b) => b.currency === REPORT_CURRENCY)
          .map((b) => ({ date: b.dueDate, name: b.supplierName, amount: b.amount, source: 'bill' as const })),
      ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.name.localeCompare(b.name, 'sv'))),
    };
    return { data, rows: this.rows(filter, totals.count, labels, q.locale) };
  }

  /** The selection's transactions, page by page (keyset), with category paths and supplier names. */
  private rows(
    filter: Parameters<TransactionsForReports['reportPage']>[0],
    count: number,
    labels: Labels,
    locale: ReportLocale,
  ): TransactionSource {
    const t = textsFor(locale);
    const transactions = this.transactions;
    const suppliers = this.suppliers;
    const names = new Map<string, string>();
    return {
      count,
      async *pages(): AsyncIterable<ReportTransaction[]> {
        let cursor: string | undefined;
        do {
          const page = await transactions.reportPage(filter, { cursor, limit: PAGE });
          const unknown = [
            ...new Set(
              page.items.flatMap((r) => (r.supplierId && !names.has(r.supplierId) ? [r.supplierId] : [])),
            ),
          ];
          if (unknown.length) for (const [id, s] of await suppliers.byIds(unknown)) names.set(id, s.name);
          yield page.items.map((r) => ({
            id: r.id,
            date: r.date,
            type: r.type,
            amount: r.amount,
            description: r.description,
            category: r.categoryId ? (labels.get(r.categoryId)?.path ?? t.noCategory) : t.noCategory,
            supplier: r.supplierId ? (names.get(r.supplierId) ?? '') : '',
          }));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      },
    };
  }
}
