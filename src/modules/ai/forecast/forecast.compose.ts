/**
 * The whole forecast from plain data (pure; `bench/ai-forecast.ts` runs it as the endpoint does): known payments
 * (contracts' scheduled days with their price history, open bills) plus the history model of the rest
 * (`forecast.model.ts`), per category and in total, each part explained in Swedish and English.
 *
 * Nothing is counted twice: history that the known payments explain does not feed the rest —
 * - every transaction of a contract's provider (the supplier the contract pays), whatever its date;
 * - for a contract without a provider, transactions in its category within 5 days of one of its scheduled days
 *   and within 15 % of that day's price;
 * - open bills are known spending of their category in their month: the rest of that category/month is what the
 *   model expects beyond them (`max(0, model − bills)`), since the history already holds earlier bills.
 */
import { formatMoney } from '../../../common/money';
import { addMonths, forecastSeries, monthsBetween, type SeriesModel } from './forecast.model';

/** One past expense (öre > 0). */
export interface HistoryExpense {
  id: string;
  date: string;
  amount: number;
  categoryId: string | null;
  supplierId: string | null;
}

/** A contract with its scheduled payment days over the history and the horizon (price history applied). */
export interface KnownContract {
  id: string;
  name: string;
  providerId: string | null;
  categoryId: string | null;
  endDate: string | null;
  payments: { date: string; amount: number }[];
}

export interface KnownBill {
  id: string;
  supplierName: string;
  categoryId: string | null;
  dueDate: string;
  amount: number;
}

export interface ForecastInput {
  /**
   * Today (Stockholm date): history is every complete month before today's month; the horizon is today's month
   * (whole: what it will have cost by its end) and the `months − 1` after it.
   */
  today: string;
  months: number;
  history: HistoryExpense[];
  contracts: KnownContract[];
  bills: KnownBill[];
  /** Only these categories (null = uncategorized as `'none'`); absent: all. */
  categoryIds?: readonly string[];
  /** Category names for the texts; missing: the id. */
  labels?: ReadonlyMap<string, string>;
  /** The longest history the model reads (months). */
  historyMonths?: number;
}

export interface Bilingual {
  sv: string;
  en: string;
}

export interface ForecastMonth {
  period: string;
  contracts: number;
  bills: number;
  history: number;
  total: number;
  low: number;
  high: number;
}

export interface ForecastPart {
  /** `null` for the total; `'none'` for uncategorized spending. */
  categoryId: string | null;
  name: string | null;
  months: ForecastMonth[];
  sum: Omit<ForecastMonth, 'period'>;
  explanation: Bilingual;
}

export interface ForecastResult {
  from: string;
  to: string;
  historyFrom: string | null;
  historyTo: string;
  historyMonths: number;
  categories: ForecastPart[];
  total: ForecastPart;
}

export const UNCATEGORIZED = 'none';
const DEFAULT_HISTORY_MONTHS = 36;

const keyOf = (categoryId: string | null): string => categoryId ?? UNCATEGORIZED;

/** The ids of history expenses that known contracts explain (see the file's comment). */
export function knownExpenseIds(
  history: readonly HistoryExpense[],
  contracts: readonly KnownContract[],
): Set<string> {
  const providers = new Set(contracts.map((c) => c.providerId).filter((p): p is string => !!p));
  const loose = contracts.filter((c) => !c.providerId);
  const out = new Set<string>();
  for (const t of history) {
    if (t.supplierId && providers.has(t.supplierId)) {
      out.add(t.id);
      continue;
    }
    for (const c of loose) {
      if (c.categoryId !== t.categoryId) continue;
      const hit = c.payments.some(
        (p) =>
          Math.abs(dayNumber(p.date) - dayNumber(t.date)) <= 5 &&
          Math.abs(t.amount - p.amount) <= p.amount * 0.15,
      );
      if (hit) {
        out.add(t.id);
        break;
      }
    }
  }
  return out;
}

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The category a contract's payments count in: its own, else what its provider's history was booked on. */
function contractCategory(c: KnownContract, history: readonly HistoryExpense[]): string {
  if (c.categoryId) return c.categoryId;
  if (c.providerId) {
    const counts = new Map<string, number>();
    for (const t of history)
      if (t.supplierId === c.providerId && t.categoryId)
        counts.set(t.categoryId, (counts.get(t.categoryId) ?? 0) + 1);
    const best = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (best) return best[0];
  }
  return UNCATEGORIZED;
}

export function composeForecast(input: ForecastInput): ForecastResult {
  const months = input.months;
  const currentPeriod = input.today.slice(0, 7);
  const lastHistory = addMonths(currentPeriod, -1);
  const from = currentPeriod;
  const to = addMonths(currentPeriod, months - 1);
  const maxHistory = input.historyMonths ?? DEFAULT_HISTORY_MONTHS;
  const earliest = addMonths(lastHistory, -(maxHistory - 1));

  const history = input.history.filter((t) => {
    const p = t.date.slice(0, 7);
    return p >= earliest && p <= lastHistory;
  });
  const firstPeriod = history.reduce<string | null>(
    (min, t) => (min === null || t.date.slice(0, 7) < min ? t.date.slice(0, 7) : min),
    null,
  );
  const historyLength = firstPeriod ? monthsBetween(firstPeriod, lastHistory) + 1 : 0;
  const known = knownExpenseIds(history, input.contracts);

  // Rest series per category, over the calendar from the first month with any spending.
  const series = new Map<string, number[]>();
  const ensure = (key: string): number[] => {
    let s = series.get(key);
    if (!s) {
      s = Array.from({ length: historyLength }, () => 0);
      series.set(key, s);
    }
    return s;
  };
  for (const t of history) {
    if (known.has(t.id) || !firstPeriod) continue;
    const idx = monthsBetween(firstPeriod, t.date.slice(0, 7));
    ensure(keyOf(t.categoryId))[idx] += t.amount;
  }

  // Known payments in the horizon per category and month.
  const contractsByKey = new Map<string, Map<string, number>>();
  const contractNames = new Map<string, Set<string>>();
  for (const c of input.contracts) {
    const key = contractCategory(c, input.history);
    for (const p of c.payments) {
      const period = p.date.slice(0, 7);
      if (period < from || period > to) continue;
      const m = contractsByKey.get(key) ?? new Map<string, number>();
      m.set(period, (m.get(period) ?? 0) + p.amount);
      contractsByKey.set(key, m);
      const names = contractNames.get(key) ?? new Set<string>();
      names.add(c.name);
      contractNames.set(key, names);
    }
  }
  const billsByKey = new Map<string, Map<string, number>>();
  for (const b of input.bills) {
    const period = b.dueDate.slice(0, 7);
    if (period < from || period > to) continue;
    const key = keyOf(b.categoryId);
    const m = billsByKey.get(key) ?? new Map<string, number>();
    m.set(period, (m.get(period) ?? 0) + b.amount);
    billsByKey.set(key, m);
  }

  const wanted = input.categoryIds ? new Set(input.categoryIds) : null;
  const keys = new Set([...series.keys(), ...contractsByKey.keys(), ...billsByKey.keys()]);
  const categories: ForecastPart[] = [];
  const periods = Array.from({ length: months }, (_, i) => addMonths(lastHistory, i + 1));
  const totalMonths: (ForecastMonth & { halfWidth: number })[] = periods.map((period) => ({
    period,
    contracts: 0,
    bills: 0,
    history: 0,
    total: 0,
    low: 0,
    high: 0,
    halfWidth: 0,
  }));
  const models: SeriesModel[] = [];
  for (const key of [...keys].sort()) {
    if (wanted && !wanted.has(key)) continue;
    const values = series.get(key) ?? [];
    const { model, months: predicted } = forecastSeries(values, lastHistory, months);
    if (values.length) models.push(model);
    const partMonths: ForecastMonth[] = periods.map((period, i) => {
      const f = predicted[i];
      const contracts = contractsByKey.get(key)?.get(period) ?? 0;
      const bills = billsByKey.get(key)?.get(period) ?? 0;
      const rest = Math.max(0, f.point - bills);
      const shift = rest - f.point;
      const low = contracts + bills + Math.max(0, f.low + shift);
      const high = contracts + bills + Math.max(0, f.high + shift);
      const t = totalMonths[i];
      t.contracts += contracts;
      t.bills += bills;
      t.history += rest;
      t.halfWidth += (f.high - f.low) / 2;
      return { period, contracts, bills, history: rest, total: contracts + bills + rest, low, high };
    });
    const part = finishPart(key, input.labels?.get(key) ?? null, partMonths, {
      contractNames: [...(contractNames.get(key) ?? [])],
      model: values.length ? model : null,
    });
    if (part.sum.total > 0 || values.length) categories.push(part);
  }
  const total = finishPart(
    null,
    null,
    totalMonths.map(({ halfWidth, ...m }) => {
      const total = m.contracts + m.bills + m.history;
      // Categories move together (a holiday month lifts several): half-widths add, not in quadrature.
      const half = halfWidth;
      return {
        ...m,
        total,
        low: Math.max(m.contracts + m.bills, Math.round(total - half)),
        high: Math.round(total + half),
      };
    }),
    {
      contractNames: input.contracts.map((c) => c.name),
      model: models.length ? (models.find((m) => m.seasonal) ?? models[0]) : null,
      historyMonths: historyLength,
    },
  );
  categories.sort(
    (a, b) => b.sum.total - a.sum.total || ((a.categoryId ?? '') < (b.categoryId ?? '') ? -1 : 1),
  );
  return {
    from,
    to,
    historyFrom: firstPeriod,
    historyTo: lastHistory,
    historyMonths: historyLength,
    categories,
    total,
  };
}

function finishPart(
  categoryId: string | null,
  name: string | null,
  months: ForecastMonth[],
  why: { contractNames: string[]; model: SeriesModel | null; historyMonths?: number },
): ForecastPart {
  const sum = months.reduce(
    (s, m) => ({
      contracts: s.contracts + m.contracts,
      bills: s.bills + m.bills,
      history: s.history + m.history,
      total: s.total + m.total,
      low: s.low + m.low,
      high: s.high + m.high,
    }),
    { contracts: 0, bills: 0, history: 0, total: 0, low: 0, high: 0 },
  );
  return { categoryId, name, months, sum, explanation: explain(sum, months.length, why) };
}

const kr = (ore: number, locale: 'sv' | 'en'): string =>
  formatMoney(Math.round(ore / 100) * 100, { locale }).replace(/[.,]00(?=\D|$)/, '');

/** "Kända avtal: 4 120 kr (Netflix, Hyra); räkningar: …; historik: … (säsong + trend över 36 månader)". */
export function explain(
  sum: Omit<ForecastMonth, 'period'>,
  months: number,
  why: { contractNames: string[]; model: SeriesModel | null; historyMonths?: number },
): Bilingual {
  const names = why.contractNames.slice(0, 3).join(', ') + (why.contractNames.length > 3 ? ', …' : '');
  const sv: string[] = [];
  const en: string[] = [];
  if (sum.contracts > 0) {
    sv.push(`Kända avtal: ${kr(sum.contracts, 'sv')}${names ? ` (${names})` : ''}`);
    en.push(`Known contracts: ${kr(sum.contracts, 'en')}${names ? ` (${names})` : ''}`);
  }
  if (sum.bills > 0) {
    sv.push(`öppna räkningar: ${kr(sum.bills, 'sv')}`);
    en.push(`open bills: ${kr(sum.bills, 'en')}`);
  }
  const m = why.model;
  const span = why.historyMonths ?? m?.months ?? 0;
  if (!m || m.months === 0) {
    sv.push('ingen historik att bygga på utöver de kända betalningarna');
    en.push('no history to build on beyond the known payments');
  } else {
    const how = m.seasonal
      ? {
          sv: `säsong per månad och trend ur ${span} månaders historik`,
          en: `monthly seasonality and trend from ${span} months of history`,
        }
      : {
          sv: `genomsnitt av de senaste månaderna (${span} månaders historik, för kort för säsong)`,
          en: `average of recent months (${span} months of history, too short for seasonality)`,
        };
    sv.push(
      `historik: ${kr(sum.history, 'sv')} (${how.sv}; intervall ${kr(sum.low, 'sv')}–${kr(sum.high, 'sv')})`,
    );
    en.push(
      `history: ${kr(sum.history, 'en')} (${how.en}; interval ${kr(sum.low, 'en')}–${kr(sum.high, 'en')})`,
    );
  }
  const head = {
    sv: `${months} mån: ${kr(sum.total, 'sv')}. `,
    en: `${months} mo: ${kr(sum.total, 'en')}. `,
  };
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return { sv: head.sv + cap(sv.join('; ')) + '.', en: head.en + cap(en.join('; ')) + '.' };
}
