import type { MatchSignals } from './types';

/**
 * Confidence of a (bank line, open item) pair, version `v3` (the weights of v2; v3 changed the automatic bar's
 * rules in engine/batch-assignment.ts: a transaction without reference only within a week of the line, and one
 * item per run, not per chunk). Each signal adds evidence to a log-odds score z:
 *
 *   z = −3.0                                       prior: most pairs in a block are not the payment
 *     + 5.5   the line carries the bill's OCR number (exact, digits only)
 *     | 3.0   or the bill's invoice number appears in the line's text/reference
 *     | −2.5  or the line's reference is an OCR number and the bill has another one (an OCR payment is allocated
 *             by its number: the bill it names, open or not, is the one paid)
 *     + 2.5   amount exactly equal (+ 1.0 when it has öre: 1 234,56 kr is rarely equal by chance, 499,00 kr often)
 *     | 2.0   amount within 50 öre (öresavrundning)
 *     | 0.5 × (1 − |Δ| / tolerance)   amount within tolerance (1 % of the amount, at least 1 kr, at most 100 kr)
 *     | −3.5  amount outside tolerance (only reachable through a reference match: a partial payment, a reminder
 *             fee, or one payment of several bills — each of them named, none of them the whole answer)
 *     + 1.5 × date score   1 inside the normal payment window (bills: 10 days before to 3 days after the due date;
 *                          transactions: ±2 days), falling linearly to 0 at the edge of the block window
 *                          (bills −60…+45 days, transactions ±14 days)
 *     − 0.05 per day paid more than 10 days after a bill's due date (at most −1.0) when no OCR/invoice number
 *             names the bill: late payments lose confidence
 *     + 3.0 × name similarity, when it is at least 0.5 (trigram similarity of the distinctive words, names.ts)
 *     | −1.5  the line names someone (a distinctive word) and no name of the item resembles it (similarity < 0.3)
 *     − 4.0   a card purchase (text "Kortköp", a card transaction code) against a bill, unless the OCR number or
 *             the name (similarity ≥ 0.8) clearly says it is that bill: a card purchase is not a bill payment
 *     − 3.0   a card purchase against a transaction dated more than 1 day after or 4 days before the line (the
 *             bank books a card purchase 0–3 days after it was made: another purchase)
 *     + 0.25 per earlier approval for this counterparty (at most 4 → +1.0)
 *     − 0.5 per earlier rejection (at most 3 → −1.5)
 *
 * A pair's confidence alone is 1 / (1 + e^−z). A line's candidates exclude each other (one of them is the payment,
 * or none is), so the confidence shown is the candidate's share of the odds among the line's candidates:
 * e^z_i / (1 + Σ_j e^z_j) (confidenceAmong) — equal to the logistic when it is alone, and below 0.5 for each of
 * two candidates that explain the line equally well (two open bills of one subscription, same amount): the
 * engine says it cannot tell instead of picking one. Rounded to 4 decimals.
 *
 * Examples: OCR + amount + on time → z 6.5 → 0.998; amount + date + a name at 0.9 → 3.7 → 0.976; amount + date alone
 * → 1.0 → 0.731; amount alone, 30 days late → −0.96 → 0.276; the same amount and date for two bills of one
 * supplier → 0.495 each. Changing any number here means a new SCORE_VERSION: the version is stored with every
 * suggestion, match, voucher and audit entry so old decisions stay explainable.
 */
export const SCORE_VERSION = 'v3';

export const WEIGHTS = {
  prior: -3,
  ocr: 5.5,
  invoiceNumber: 3,
  otherReference: -2.5,
  amountExact: 2.5,
  amountSpecific: 1,
  amountRounding: 2,
  roundingOre: 50,
  amountTolerance: 0.5,
  amountDifferent: -3.5,
  date: 1.5,
  name: 3,
  nameMin: 0.5,
  nameMismatch: -1.5,
  nameMismatchBelow: 0.3,
  cardBill: -4,
  cardOffDate: -3,
  cardDaysBefore: 1,
  cardDaysAfter: 4,
  clearName: 0.8,
  lateAfter: 10,
  latePerDay: -0.05,
  lateMax: -1,
  approvedEach: 0.25,
  approvedMax: 4,
  rejectedEach: -0.5,
  rejectedMax: 3,
} as const;

/** Block windows: how far a line's date may be from the item's date (line − item, days) to be a candidate. */
export const DATE_WINDOW = {
  bill: { before: 60, after: 45, normalBefore: 10, normalAfter: 3 },
  transaction: { before: 14, after: 14, normalBefore: 2, normalAfter: 2 },
} as const;

/** Amount tolerance in öre: 1 % of the amount, at least 1 kr, at most 100 kr. */
export function amountTolerance(ore: number): number {
  return Math.min(10_000, Math.max(100, Math.round(Math.abs(ore) * 0.01)));
}

/** 1 inside the normal window, linear down to 0 at the block window's edge, 0 outside. */
export function dateScore(days: number, kind: keyof typeof DATE_WINDOW): number {
  const w = DATE_WINDOW[kind];
  if (days >= -w.normalBefore && days <= w.normalAfter) return 1;
  if (days > w.normalAfter) return Math.max(0, 1 - (days - w.normalAfter) / (w.after - w.normalAfter));
  return Math.max(0, 1 - (-days - w.normalBefore) / (w.before - w.normalBefore));
}

export type EvidencePart = 'reference' | 'amount' | 'date' | 'name' | 'kind' | 'history';

/** The plain numbers a pair is scored from (the engine's hot path uses these; no objects needed). */
export interface EvidenceInput {
  reference: 'ocr' | 'invoice_number' | null;
  amountKind: 'exact' | 'within_tolerance' | 'different';
  differenceOre: number;
  toleranceOre: number;
  dateScore: number;
  /** 0 when unknown. */
  nameSimilarity: number;
  approved: number;
  rejected: number;
}

/**
 * The reference's evidence: the OCR or invoice number found; or, `otherReference`, the line carries an OCR number
 * (a structured reference of digits) and the bill has another one — an OCR payment is allocated by its number.
 */
export function referenceEvidence(kind: EvidenceInput['reference'], otherReference = false): number {
  if (kind === 'ocr') return WEIGHTS.ocr;
  if (kind === 'invoice_number') return WEIGHTS.invoiceNumber;
  return otherReference ? WEIGHTS.otherReference : 0;
}
/** `specific`: an exact amount with öre (1 234,56 kr says more than 499,00 kr: few amounts are equal by chance). */
export function amountEvidence(
  kind: EvidenceInput['amountKind'],
  differenceOre: number,
  toleranceOre: number,
  specific = false,
): number {
  return kind === 'exact'
    ? specific
      ? WEIGHTS.amountExact + WEIGHTS.amountSpecific
      : WEIGHTS.amountExact
    : kind === 'within_tolerance'
      ? differenceOre <= WEIGHTS.roundingOre
        ? WEIGHTS.amountRounding
        : WEIGHTS.amountTolerance * (1 - differenceOre / toleranceOre)
      : WEIGHTS.amountDifferent;
}
/**
 * The date's evidence: the date score, less a penalty for a bill paid long after its due date when nothing but
 * amount, date and name links them (`referenced`: the OCR or invoice number names the bill — late or not).
 */
export function dateEvidence(score: number, days: number, bill: boolean, referenced: boolean): number {
  const late =
    bill && !referenced && days > WEIGHTS.lateAfter ? WEIGHTS.latePerDay * (days - WEIGHTS.lateAfter) : 0;
  return WEIGHTS.date * score + Math.max(WEIGHTS.lateMax, late);
}
/**
 * The name's evidence: the similarity when it reaches the bar; a penalty when `compared` (the line names someone
 * with a distinctive word and the item has a name) and nothing resembles it.
 */
export function nameEvidence(similarity: number, compared: boolean): number {
  if (similarity >= WEIGHTS.nameMin) return WEIGHTS.name * similarity;
  return compared && similarity < WEIGHTS.nameMismatchBelow ? WEIGHTS.nameMismatch : 0;
}
/**
 * A card purchase: against a bill found without its OCR/invoice number it counts against the pair unless the name is
 * clear; against a transaction, the bank books a card purchase 0–3 days after it was made, so a transaction dated
 * otherwise (more than a day after the line, more than 4 days before) is most likely another purchase.
 */
export function kindEvidence(
  cardAgainstBill: boolean,
  similarity: number,
  cardLine = false,
  transactionDays = 0,
): number {
  if (cardAgainstBill) return similarity < WEIGHTS.clearName ? WEIGHTS.cardBill : 0;
  if (cardLine && (transactionDays < -WEIGHTS.cardDaysBefore || transactionDays > WEIGHTS.cardDaysAfter))
    return WEIGHTS.cardOffDate;
  return 0;
}
export function historyEvidence(approved: number, rejected: number): number {
  return (
    WEIGHTS.approvedEach * Math.min(approved, WEIGHTS.approvedMax) +
    WEIGHTS.rejectedEach * Math.min(rejected, WEIGHTS.rejectedMax)
  );
}

/** The log-odds of the pair and each signal's share of it (for "which signals counted"). */
export function evidence(signals: MatchSignals): { z: number; parts: Record<EvidencePart, number> } {
  const parts: Record<EvidencePart, number> = {
    reference: referenceEvidence(signals.reference?.kind ?? null, signals.otherReference !== undefined),
    amount: amountEvidence(
      signals.amount.kind,
      signals.amount.differenceOre,
      signals.amount.toleranceOre,
      signals.amount.specific === true,
    ),
    date: dateEvidence(
      signals.date.score,
      signals.date.days,
      signals.date.relativeTo === 'due_date',
      signals.reference !== null,
    ),
    name: signals.name ? nameEvidence(signals.name.similarity, true) : 0,
    kind: kindEvidence(signals.cardPurchase === true && !signals.reference, signals.name?.similarity ?? 0),
    history: signals.history ? historyEvidence(signals.history.approved, signals.history.rejected) : 0,
  };
  return {
    z: WEIGHTS.prior + parts.reference + parts.amount + parts.date + parts.history + parts.kind + parts.name,
    parts,
  };
}

export function confidenceOf(z: number): number {
  return Math.round(10_000 / (1 + Math.exp(-z))) / 10_000;
}

/** The pair's confidence alone (no rivals). */
export function confidence(signals: MatchSignals): number {
  return confidenceOf(evidence(signals).z);
}

/**
 * Fixed-point odds e^z of a candidate (z capped at 20): a line's sum of them is exact whatever the order of the
 * candidates, so the engine and the naive scorer give the same confidences.
 */
export const oddsWeight = (z: number): number => Math.round(Math.exp(Math.min(z, 20)) * 1e6);

/**
 * The confidence of a candidate among the line's candidates: its share of the odds, e^z / (1 + Σ e^z_j), where
 * `total` is the sum of oddsWeight over all the line's candidates (this one included). Alone, the logistic.
 */
export function confidenceAmong(z: number, total: number): number {
  const own = oddsWeight(z);
  if (total <= own) return confidenceOf(z);
  return Math.round((10_000 * own) / (1e6 + total)) / 10_000;
}

/** Another candidate is a rival when its log-odds is at least this close (a quarter as likely or more). */
export const RIVAL_GAP = Math.log(4);
