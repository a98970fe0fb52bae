/**
 * The contract hint of a bank line (docs/bank.md "Contract payments"): a line that looks like the payment of a
 * contract — its counterparty resembles the contract's provider, its amount fits the price of a scheduled payment
 * day and its date is within a few days of that day — names the contract and the day. Pure; outside the matching
 * engine's scoring (the hint never changes a candidate's confidence or an automatic booking).
 *
 * Rules:
 * - money out only, in the contract's currency;
 * - name: the best `nameSimilarity` of the line's counterparty name or text against the provider's name and bank
 *   aliases is at least `CONTRACT_NAME_BAR` (0.8, the engine's "clearly that supplier");
 * - amount: a fixed price exactly (öre for öre); a variable amount (`variableAmount`, the price is an estimate)
 *   within ±50 % of the estimate of that day;
 * - date: the line's booking date from 3 days before to 5 days after the payment day (card subscriptions are charged
 *   a little early; autogiro and bills paid on the due day are booked up to a long weekend later);
 * - a day already paid by a transaction or bill is no longer open;
 * - several fitting days: an exact amount before one in the band, then the closest day; two equally good days (of
 *   one contract or of two) → no hint: the person decides.
 */
import { addDays, daysBetween } from '../../../common/dates';
import { formatMoney } from '../../../common/money';
import { nameSimilarity } from '../../../common/names';

export const CONTRACT_NAME_BAR = 0.8;
/** A variable amount fits within this share of the estimate either way. */
export const VARIABLE_AMOUNT_BAND = 0.5;
/** Line booking date − payment day, in days. */
export const CONTRACT_DATE_WINDOW = { before: 3, after: 5 } as const;

export interface HintLine {
  /** Booking date `YYYY-MM-DD`. */
  date: string;
  /** Signed öre: money out < 0. */
  amount: number;
  currency: string;
  counterpartyName: string | null;
  text: string;
}

export interface HintProvider {
  id: string;
  name: string;
  aliases: readonly string[];
}

export interface HintContract {
  id: string;
  name: string;
  providerId: string;
  currency: string;
  variableAmount: boolean;
  payments: readonly {
    date: string;
    scheduledAmount: number;
    transactionId: string | null;
    billId: string | null;
  }[];
}

export interface ContractHint {
  contractId: string;
  name: string;
  providerId: string;
  paymentDate: string;
  scheduledAmount: number;
  /** 0–1: a fit of name, amount and date, not a probability like the suggestions' confidence. */
  confidence: number;
  why: { sv: string; en: string };
}

/** The payment days a line of `date` may pay: [from, to]. */
export function hintDays(date: string): { from: string; to: string } {
  return { from: addDays(date, -CONTRACT_DATE_WINDOW.after), to: addDays(date, CONTRACT_DATE_WINDOW.before) };
}

const lineNames = (line: HintLine): string[] =>
  [line.counterpartyName, line.text].filter((n): n is string => !!n && !!n.trim());

/** The best similarity of the line's names and the provider's name and aliases (0–1). */
export function providerSimilarity(line: HintLine, provider: HintProvider): number {
  let best = 0;
  for (const a of lineNames(line))
    for (const b of [provider.name, ...provider.aliases]) if (b) best = Math.max(best, nameSimilarity(a, b));
  return best;
}

/** The providers a line's counterparty resembles (similarity ≥ the bar), by id. Money in resembles none. */
export function resemblingProviders(line: HintLine, providers: readonly HintProvider[]): Map<string, number> {
  const out = new Map<string, number>();
  if (line.amount >= 0) return out;
  for (const p of providers) {
    const similarity = providerSimilarity(line, p);
    if (similarity >= CONTRACT_NAME_BAR) out.set(p.id, similarity);
  }
  return out;
}

interface Fit {
  contract: HintContract;
  provider: HintProvider;
  similarity: number;
  date: string;
  scheduledAmount: number;
  offset: number;
  exact: boolean;
  amountScore: number;
}

/** How a line's amount fits a payment day's price; null outside the band. */
function amountFit(
  paid: number,
  scheduled: number,
  variable: boolean,
): { exact: boolean; score: number } | null {
  if (paid === scheduled) return { exact: true, score: 1 };
  if (!variable || scheduled <= 0) return null;
  const deviation = Math.abs(paid - scheduled) / scheduled;
  return deviation <= VARIABLE_AMOUNT_BAND
    ? { exact: false, score: 1 - deviation / VARIABLE_AMOUNT_BAND }
    : null;
}

/** Better first: an exact amount, then the closest day, then a day paid on/after rather than before. */
function compare(a: Fit, b: Fit): number {
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  const d = Math.abs(a.offset) - Math.abs(b.offset);
  if (d !== 0) return d;
  return b.offset - a.offset;
}

const equallyGood = (a: Fit, b: Fit): boolean =>
  a.exact === b.exact && Math.abs(a.offset) === Math.abs(b.offset);

/**
 * The contract a line pays, or null. `providers` by id: the suppliers that are contract providers (only those the
 * line resembles count).
 */
export function contractHint(
  line: HintLine,
  contracts: readonly HintContract[],
  providers: ReadonlyMap<string, HintProvider>,
): ContractHint | null {
  if (line.amount >= 0) return null;
  const paid = -line.amount;
  const fits: Fit[] = [];
  for (const contract of contracts) {
    if (contract.currency !== line.currency) continue;
    const provider = providers.get(contract.providerId);
    if (!provider) continue;
    const similarity = providerSimilarity(line, provider);
    if (similarity < CONTRACT_NAME_BAR) continue;
    let best: Fit | null = null;
    for (const day of contract.payments) {
      if (day.transactionId || day.billId) continue; // already paid
      const offset = daysBetween(day.date, line.date);
      if (offset < -CONTRACT_DATE_WINDOW.before || offset > CONTRACT_DATE_WINDOW.after) continue;
      const amount = amountFit(paid, day.scheduledAmount, contract.variableAmount);
      if (!amount) continue;
      const fit: Fit = {
        contract,
        provider,
        similarity,
        date: day.date,
        scheduledAmount: day.scheduledAmount,
        offset,
        exact: amount.exact,
        amountScore: amount.score,
      };
      if (!best || compare(fit, best) < 0) best = fit;
    }
    if (best) fits.push(best);
  }
  if (!fits.length) return null;
  fits.sort(compare);
  if (fits.length > 1 && equallyGood(fits[0], fits[1])) return null; // ambiguous: the person decides
  const best = fits[0];
  const dateScore = 1 - Math.abs(best.offset) / (CONTRACT_DATE_WINDOW.after + 1);
  const confidence = best.similarity * (0.6 + 0.25 * best.amountScore + 0.15 * dateScore);
  return {
    contractId: best.contract.id,
    name: best.contract.name,
    providerId: best.provider.id,
    paymentDate: best.date,
    scheduledAmount: best.scheduledAmount,
    confidence: Math.round(confidence * 100) / 100,
    why: whyOf(line, best),
  };
}

function whyOf(line: HintLine, fit: Fit): { sv: string; en: string } {
  const who = lineNames(line)[0] ?? '';
  const currency = fit.contract.currency;
  const sv = formatMoney(fit.scheduledAmount, { currency, locale: 'sv' });
  const en = formatMoney(fit.scheduledAmount, { currency, locale: 'en' });
  const days = Math.abs(fit.offset);
  const when =
    fit.offset === 0
      ? { sv: `på betalningsdagen ${fit.date}`, en: `on the payment day ${fit.date}` }
      : {
          sv: `${days} ${days === 1 ? 'dag' : 'dagar'} ${fit.offset > 0 ? 'efter' : 'före'} betalningsdagen ${fit.date}`,
          en: `${days} ${days === 1 ? 'day' : 'days'} ${fit.offset > 0 ? 'after' : 'before'} the payment day ${fit.date}`,
        };
  const amount = fit.exact
    ? { sv: `beloppet stämmer med avtalets pris ${sv}`, en: `the amount equals the contract's price ${en}` }
    : {
        sv: `beloppet ligger inom ±50 % av det uppskattade ${sv}`,
        en: `the amount is within ±50 % of the estimated ${en}`,
      };
  return {
    sv: `Avtalet "${fit.contract.name}": "${who}" liknar leverantören ${fit.provider.name}, ${amount.sv}, ${when.sv}`,
    en: `Contract "${fit.contract.name}": "${who}" resembles the provider ${fit.provider.name}, ${amount.en}, ${when.en}`,
  };
}
