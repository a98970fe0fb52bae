/**
 * Anomaly detection (docs/ai.md, "Anomalies"): pure functions over an organization's history. The service feeds
 * them its transactions, contracts and paid bills; `bench/ai-anomalies.ts` runs the same functions on generated
 * histories with injected anomalies. Amounts are öre; dates `YYYY-MM-DD`.
 *
 * Each anomaly has a stable `key` (kind + the records it is about), so running detection again over the same
 * history finds the same keys and the store adds nothing twice. A transaction explained by one kind is not used by
 * the kinds after it (a bill paid twice is not also a duplicate charge; an outlier does not also make its
 * category's month a spike), in this order: bill paid twice, charge after a contract's end, duplicate charge,
 * unusual amount, price increase, new merchant, category spike.
 */
import { formatMoney } from '../../../common/money';
import { normalizeMerchant } from '../categorization/merchant';
import { mad, median } from '../forecast/forecast.model';

export const ANOMALY_KINDS = [
  'unusual_amount',
  'price_increase',
  'duplicate_charge',
  'new_merchant',
  'category_spike',
  'bill_paid_twice',
  'charge_after_contract_end',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export const ANOMALY_SEVERITIES = ['low', 'medium', 'high'] as const;
export type AnomalySeverity = (typeof ANOMALY_SEVERITIES)[number];
export const severityRank = (s: AnomalySeverity): number => ANOMALY_SEVERITIES.indexOf(s);

export interface Expense {
  id: string;
  date: string;
  amount: number;
  supplierId: string | null;
  categoryId: string | null;
  description: string;
}

export interface ContractInfo {
  id: string;
  name: string;
  providerId: string | null;
  startDate: string;
  endDate: string | null;
  /** Price history: amount per payment from `from` on, sorted. */
  prices: { from: string; amount: number }[];
}

export interface PaidBillInfo {
  id: string;
  supplierId: string;
  amount: number;
  dueDate: string;
  paidAt: string;
}

/** "This is normal" feedback: the same pattern for this subject is not flagged again up to `amount` × 1.25. */
export interface NormalRule {
  kind: AnomalyKind;
  /** The merchant key (`merchantKey`) or, for category spikes, the category id. */
  subject: string;
  amount: number;
}

export interface DetectInput {
  /** Every expense the detection may read (about 13 months back and more), any order. */
  expenses: readonly Expense[];
  contracts?: readonly ContractInfo[];
  paidBills?: readonly PaidBillInfo[];
  rules?: readonly NormalRule[];
  /** Only anomalies dated on or after this day are returned (older records still serve as history). */
  since?: string;
  /** Names for the texts (supplier id → name, category id → name). */
  supplierNames?: ReadonlyMap<string, string>;
  categoryNames?: ReadonlyMap<string, string>;
}

export interface Bilingual {
  sv: string;
  en: string;
}

export interface DetectedAnomaly {
  key: string;
  kind: AnomalyKind;
  severity: AnomalySeverity;
  /** The day it is about (the transaction's; a spike: the month's latest transaction). */
  date: string;
  amount: number;
  /** What was expected instead (öre), when there is such a figure. */
  expected: number | null;
  /** The merchant key (supplier id or normalized text) or the category id the "normal" feedback applies to. */
  subject: string;
  supplierId: string | null;
  categoryId: string | null;
  contractId: string | null;
  billId: string | null;
  transactionIds: string[];
  reason: Bilingual;
}

/** Thresholds (exported for the docs and the unit specs). */
export const THRESHOLDS = {
  /**
   * Unusual amount: robust z ≥ 6, at least 2.5 × the usual (3.5 × / 5 × for merchants whose amounts vary by more
   * than 10 % / 30 %; 4 × while a varying merchant has fewer than 8), 1.5 × the largest earlier charge and 300 kr above the usual, from ≥ 4 earlier charges.
   */
  unusualZ: 6,
  unusualRatio: 2.5,
  unusualMinDiff: 30_000,
  unusualMinHistory: 4,
  /** Duplicate: same merchant and amount (≥ 200 kr) within 3 days. */
  duplicateDays: 3,
  duplicateMinAmount: 20_000,
  /** Price increase: 3 equal earlier charges at a steady rhythm, then 2 %–100 % more. */
  priceMinRise: 0.02,
  /** New merchant: ≥ 2 000 kr and above the organization's 90th percentile, with ≥ 90 days of history. */
  newMerchantMin: 200_000,
  newMerchantHistoryDays: 90,
  /**
   * Category spike: ≥ 1.8 × the usual month (median, or mean when larger), 1.5 × the largest month of the past
   * year, ≥ 1 500 kr above the usual, robust z ≥ 4, and 1.3 × the same month last year; ≥ 6 months of history.
   */
  spikeRatio: 1.8,
  spikeMinDiff: 150_000,
  spikeZ: 4,
  /** A contract's provider may still charge this many days after the end date (the last period's invoice). */
  contractGraceDays: 7,
  /** A second payment of a paid bill: same supplier and amount, within 20 days of its due or paid day. */
  billWindowDays: 20,
} as const;

const DAY = 86_400_000;
const dayNo = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY;

/**
 * What a charge is grouped by: the supplier, else the canonical merchant of its bank text (the categorization's
 * `normalizeMerchant`: `KORTKÖP 260301 ICA NARA STHLM 4432` and `ICA NARA 9911` are both ICA).
 */
export function merchantKey(e: Pick<Expense, 'supplierId' | 'description'>): string {
  if (e.supplierId) return e.supplierId;
  return `text:${normalizeMerchant(e.description).key}`;
}

const kr = (ore: number, locale: 'sv' | 'en'): string => formatMoney(Math.round(ore), { locale });

export function detectAnomalies(input: DetectInput): DetectedAnomaly[] {
  const expenses = [...input.expenses].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1,
  );
  const since = input.since ?? '0000-01-01';
  const rules = input.rules ?? [];
  const ruleFor = (kind: AnomalyKind, subject: string): NormalRule | undefined =>
    rules.filter((r) => r.kind === kind && r.subject === subject).sort((a, b) => b.amount - a.amount)[0];
  const supplierName = (e: Pick<Expense, 'supplierId' | 'description'>): string =>
    (e.supplierId && input.supplierNames?.get(e.supplierId)) || e.description;
  const out: DetectedAnomaly[] = [];
  const explained = new Set<string>();
  const byMerchant = new Map<string, Expense[]>();
  const keys = new Map<string, string>();
  const keyOf = (e: Expense): string => keys.get(e.id) ?? merchantKey(e);
  for (const e of expenses) {
    const k = merchantKey(e);
    keys.set(e.id, k);
    const list = byMerchant.get(k) ?? [];
    list.push(e);
    byMerchant.set(k, list);
  }
  const base = (e: Expense) => ({
    date: e.date,
    amount: e.amount,
    subject: keyOf(e),
    supplierId: e.supplierId,
    categoryId: e.categoryId,
    contractId: null,
    billId: null,
  });

  // 1. A bill paid twice.
  const bills = [...(input.paidBills ?? [])].sort((a, b) => (a.paidAt < b.paidAt ? -1 : 1));
  const claimed = new Set<string>();
  const candidatesOf = (b: PaidBillInfo): Expense[] => {
    const lo = Math.min(dayNo(b.dueDate), dayNo(b.paidAt)) - THRESHOLDS.billWindowDays;
    const hi = Math.max(dayNo(b.dueDate), dayNo(b.paidAt)) + THRESHOLDS.billWindowDays;
    return (byMerchant.get(b.supplierId) ?? []).filter(
      (e) => e.amount === b.amount && dayNo(e.date) >= lo && dayNo(e.date) <= hi,
    );
  };
  const payments = new Map<string, Expense>();
  for (const b of bills) {
    const own = candidatesOf(b)
      .filter((e) => !claimed.has(e.id))
      .sort(
        (x, y) => Math.abs(dayNo(x.date) - dayNo(b.paidAt)) - Math.abs(dayNo(y.date) - dayNo(b.paidAt)),
      )[0];
    if (own) {
      claimed.add(own.id);
      payments.set(b.id, own);
    }
  }
  for (const b of bills) {
    const own = payments.get(b.id);
    if (!own) continue;
    for (const e of candidatesOf(b)) {
      if (claimed.has(e.id) || explained.has(e.id)) continue;
      explained.add(e.id);
      if (ruleFor('bill_paid_twice', b.supplierId)) continue;
      const name = supplierName(e);
      out.push({
        ...base(e),
        key: `bill_paid_twice:${b.id}:${e.id}`,
        kind: 'bill_paid_twice',
        severity: e.amount >= 100_000 ? 'high' : 'medium',
        expected: 0,
        billId: b.id,
        transactionIds: [own.id, e.id],
        reason: {
          sv: `Räkningen från ${name} på ${kr(b.amount, 'sv')} verkar vara betald två gånger (${own.date} och ${e.date}).`,
          en: `The bill from ${name} for ${kr(b.amount, 'en')} seems to have been paid twice (${own.date} and ${e.date}).`,
        },
      });
    }
  }

  // 2. A contract still charging after its end date.
  const contracts = input.contracts ?? [];
  for (const c of contracts) {
    if (!c.endDate || !c.providerId) continue;
    const graceEnd = dayNo(c.endDate) + THRESHOLDS.contractGraceDays;
    const others = contracts.filter((o) => o.id !== c.id && o.providerId === c.providerId);
    for (const e of byMerchant.get(c.providerId) ?? []) {
      if (dayNo(e.date) <= graceEnd || explained.has(e.id)) continue;
      if (others.some((o) => o.startDate <= e.date && (!o.endDate || o.endDate >= e.date))) continue;
      explained.add(e.id);
      if (ruleFor('charge_after_contract_end', c.providerId)) continue;
      out.push({
        ...base(e),
        key: `charge_after_contract_end:${c.id}:${e.id}`,
        kind: 'charge_after_contract_end',
        severity: e.amount >= 50_000 ? 'high' : 'medium',
        expected: 0,
        contractId: c.id,
        transactionIds: [e.id],
        reason: {
          sv: `${c.name} upphörde ${c.endDate}, men ${supplierName(e)} drog ${kr(e.amount, 'sv')} den ${e.date}.`,
          en: `${c.name} ended on ${c.endDate}, but ${supplierName(e)} charged ${kr(e.amount, 'en')} on ${e.date}.`,
        },
      });
    }
  }

  // 3. Duplicate charges: same merchant and amount within a few days.
  for (const [merchant, list] of byMerchant) {
    if (ruleFor('duplicate_charge', merchant)) continue;
    const pairs: [Expense, Expense][] = [];
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      if (a.amount < THRESHOLDS.duplicateMinAmount) continue;
      for (let j = i + 1; j < list.length; j++) {
        const b = list[j];
        if (dayNo(b.date) - dayNo(a.date) > THRESHOLDS.duplicateDays) break;
        if (b.amount === a.amount) pairs.push([a, b]);
      }
    }
    for (const [a, b] of pairs) {
      if (explained.has(a.id) || explained.has(b.id) || b.date < since) continue;
      // The same pair earlier too (two children's fees): this merchant's habit, not a mistake.
      const habit = pairs.some(([x, y]) => x !== a && x.amount === a.amount && y.date < a.date);
      if (habit) continue;
      explained.add(b.id);
      const name = supplierName(b);
      out.push({
        ...base(b),
        key: `duplicate_charge:${a.id}:${b.id}`,
        kind: 'duplicate_charge',
        severity: b.amount >= 200_000 ? 'high' : 'medium',
        expected: 0,
        transactionIds: [a.id, b.id],
        reason: {
          sv: `${name} drog ${kr(b.amount, 'sv')} två gånger (${a.date} och ${b.date}) – en dubbeldragning?`,
          en: `${name} charged ${kr(b.amount, 'en')} twice (${a.date} and ${b.date}) – a duplicate charge?`,
        },
      });
    }
  }

  // 4. Unusual amount for the merchant, and 5. a subscription's price increase.
  for (const [merchant, list] of byMerchant) {
    const unusualRule = ruleFor('unusual_amount', merchant);
    const priceRule = ruleFor('price_increase', merchant);
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (e.date < since || explained.has(e.id)) continue;
      const prior = list.slice(0, i).filter((p) => !explained.has(p.id));
      if (prior.length >= THRESHOLDS.unusualMinHistory) {
        const amounts = prior.map((p) => p.amount);
        const m = median(amounts);
        const spread = 1.4826 * mad(amounts, m);
        const scale = Math.max(spread, 0.15 * m, 5_000);
        const z = (e.amount - m) / scale;
        // A merchant whose amounts vary (a supermarket) needs a bigger step than a steady one (a gym).
        const cv = m > 0 ? spread / m : 1;
        // Few earlier charges say little about how much they vary: at least 4 × until there are 8.
        const ratio = Math.max(
          cv < 0.1 ? THRESHOLDS.unusualRatio : cv < 0.3 ? 3.5 : 5,
          prior.length < 8 && cv >= 0.1 ? 4 : 0,
        );
        if (
          z >= THRESHOLDS.unusualZ &&
          e.amount >= ratio * m &&
          e.amount >= 1.5 * Math.max(...amounts) &&
          e.amount - m >= THRESHOLDS.unusualMinDiff
        ) {
          explained.add(e.id);
          if (unusualRule && e.amount <= unusualRule.amount * 1.25) continue;
          const name = supplierName(e);
          out.push({
            ...base(e),
            key: `unusual_amount:${e.id}`,
            kind: 'unusual_amount',
            severity: z >= 12 && e.amount - m >= 200_000 ? 'high' : 'medium',
            expected: Math.round(m),
            transactionIds: [e.id],
            reason: {
              sv: `${name} drog ${kr(e.amount, 'sv')} den ${e.date}; brukar vara omkring ${kr(m, 'sv')} (${prior.length} tidigare dragningar, ${(e.amount / m).toFixed(1).replace('.', ',')} gånger så mycket).`,
              en: `${name} charged ${kr(e.amount, 'en')} on ${e.date}; usually about ${kr(m, 'en')} (${prior.length} earlier charges, ${(e.amount / m).toFixed(1)} times as much).`,
            },
          });
          continue;
        }
      }
      const rise = priceIncrease(prior, e, contracts);
      if (rise) {
        explained.add(e.id);
        if (priceRule && e.amount <= priceRule.amount * 1.25) continue;
        const name = supplierName(e);
        const pct = Math.round((e.amount / rise.before - 1) * 100);
        const yearly = Math.round(((e.amount - rise.before) * 365) / rise.cadenceDays);
        out.push({
          ...base(e),
          key: `price_increase:${e.id}`,
          kind: 'price_increase',
          // Told (medium) from 300 kr a year or 10 %; smaller steps stay in the list (low).
          severity: yearly >= 30_000 || pct >= 10 ? 'medium' : 'low',
          expected: rise.before,
          transactionIds: [e.id],
          reason: {
            sv: `${name} har höjt priset från ${kr(rise.before, 'sv')} till ${kr(e.amount, 'sv')} (+${pct} %, ≈ ${kr(yearly, 'sv')} mer per år).`,
            en: `${name} raised the price from ${kr(rise.before, 'en')} to ${kr(e.amount, 'en')} (+${pct} %, ≈ ${kr(yearly, 'en')} more a year).`,
          },
        });
      }
    }
  }

  // 6. A new merchant with a large amount.
  const first = expenses[0]?.date;
  const knownSuppliers = new Set<string>([
    ...contracts.map((c) => c.providerId).filter((p): p is string => !!p),
    ...(input.paidBills ?? []).map((b) => b.supplierId),
  ]);
  for (const [merchant, list] of byMerchant) {
    const e = list[0];
    if (!first || e.date < since || explained.has(e.id) || knownSuppliers.has(merchant)) continue;
    if (dayNo(e.date) - dayNo(first) < THRESHOLDS.newMerchantHistoryDays) continue;
    const yearBefore = expenses.filter((x) => x.date < e.date && dayNo(e.date) - dayNo(x.date) <= 365);
    const p90 = percentile(
      yearBefore.map((x) => x.amount),
      0.9,
    );
    if (e.amount < Math.max(THRESHOLDS.newMerchantMin, p90)) continue;
    explained.add(e.id);
    if (ruleFor('new_merchant', merchant)) continue;
    const name = supplierName(e);
    out.push({
      ...base(e),
      key: `new_merchant:${e.id}`,
      kind: 'new_merchant',
      severity: e.amount >= 1_000_000 ? 'high' : 'medium',
      expected: null,
      transactionIds: [e.id],
      reason: {
        sv: `Första betalningen någonsin till ${name}: ${kr(e.amount, 'sv')} den ${e.date}, större än 9 av 10 av årets utgifter.`,
        en: `The first payment ever to ${name}: ${kr(e.amount, 'en')} on ${e.date}, larger than 9 in 10 of the year's expenses.`,
      },
    });
  }

  // 7. A category's month far above its usual month (the records above left out).
  out.push(...categorySpikes(expenses, explained, since, ruleFor, input.categoryNames));
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : 1));
}

function percentile(values: number[], q: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

const CADENCES = [7, 30.44, 91.3, 365.25];

/** A steady recurring charge (3 equal amounts at a rhythm) followed by a higher one at the same rhythm. */
function priceIncrease(
  prior: readonly Expense[],
  e: Expense,
  contracts: readonly ContractInfo[],
): { before: number; cadenceDays: number } | null {
  if (prior.length < 3) return null;
  const last3 = prior.slice(-3);
  const before = last3[2].amount;
  if (last3.some((p) => Math.abs(p.amount - before) > before * 0.01)) return null;
  if (e.amount <= before * (1 + THRESHOLDS.priceMinRise) || e.amount > before * 2) return null;
  const gaps = [
    dayNo(last3[1].date) - dayNo(last3[0].date),
    dayNo(last3[2].date) - dayNo(last3[1].date),
    dayNo(e.date) - dayNo(last3[2].date),
  ];
  const cadence = CADENCES.find((c) => gaps.every((g) => g >= c * 0.7 && g <= c * 1.3));
  if (!cadence) return null;
  // A price step entered on the provider's contract: the increase is known already.
  const registered = contracts.some(
    (c) =>
      c.providerId === e.supplierId &&
      c.prices.some(
        (p) =>
          Math.abs(dayNo(p.from) - dayNo(e.date)) <= 45 && Math.abs(p.amount - e.amount) <= e.amount * 0.02,
      ),
  );
  return registered ? null : { before, cadenceDays: cadence };
}

function categorySpikes(
  expenses: readonly Expense[],
  explained: ReadonlySet<string>,
  since: string,
  ruleFor: (kind: AnomalyKind, subject: string) => NormalRule | undefined,
  names?: ReadonlyMap<string, string>,
): DetectedAnomaly[] {
  const first = expenses[0]?.date.slice(0, 7);
  if (!first) return [];
  const sums = new Map<string, Map<string, { total: number; items: Expense[] }>>();
  for (const e of expenses) {
    if (!e.categoryId || explained.has(e.id)) continue;
    const byPeriod = sums.get(e.categoryId) ?? new Map<string, { total: number; items: Expense[] }>();
    const p = byPeriod.get(e.date.slice(0, 7)) ?? { total: 0, items: [] };
    p.total += e.amount;
    p.items.push(e);
    byPeriod.set(e.date.slice(0, 7), p);
    sums.set(e.categoryId, byPeriod);
  }
  const out: DetectedAnomaly[] = [];
  const lastPeriod = expenses[expenses.length - 1].date.slice(0, 7);
  for (const [categoryId, byPeriod] of sums) {
    for (const [period, month] of byPeriod) {
      const latest = month.items[month.items.length - 1];
      if (latest.date < since) continue;
      const before: number[] = [];
      for (let k = 1; k <= 12; k++) {
        const p = shift(period, -k);
        if (p < first) break;
        before.push(byPeriod.get(p)?.total ?? 0);
      }
      if (before.length < 6) continue;
      // The usual month: the median, or the mean for lumpy categories (a dentist every third month).
      const m = Math.max(median(before), before.reduce((a, b) => a + b, 0) / before.length);
      const scale = Math.max(1.4826 * mad(before, median(before)), 0.2 * m, 50_000);
      const s = month.total;
      if (
        s < THRESHOLDS.spikeRatio * m ||
        s < 1.5 * Math.max(...before) ||
        s - m < THRESHOLDS.spikeMinDiff ||
        (s - m) / scale < THRESHOLDS.spikeZ
      )
        continue;
      const lastYear = shift(period, -12);
      if (lastYear >= first && s <= 1.3 * (byPeriod.get(lastYear)?.total ?? 0)) continue;
      const rule = ruleFor('category_spike', categoryId);
      if (rule && s <= rule.amount * 1.25) continue;
      const name = names?.get(categoryId) ?? categoryId;
      const running = period === lastPeriod ? { sv: ' hittills', en: ' so far' } : { sv: '', en: '' };
      out.push({
        key: `category_spike:${categoryId}:${period}`,
        kind: 'category_spike',
        severity: s >= 3 * m ? 'high' : 'medium',
        date: latest.date,
        amount: s,
        expected: Math.round(m),
        subject: categoryId,
        supplierId: null,
        categoryId,
        contractId: null,
        billId: null,
        transactionIds: [...month.items]
          .sort((a, b) => b.amount - a.amount)
          .slice(0, 10)
          .map((e) => e.id),
        reason: {
          sv: `${name} ${period}${running.sv}: ${kr(s, 'sv')}, mot vanligtvis ${kr(m, 'sv')} i månaden (${before.length} månader).`,
          en: `${name} ${period}${running.en}: ${kr(s, 'en')}, against a usual ${kr(m, 'en')} a month (${before.length} months).`,
        },
      });
    }
  }
  return out;
}

function shift(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const i = y * 12 + m - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
