import type { MatchSignals } from './types';

/**
 * Confidence of a (bank line, open item) pair, version `v1`. Each signal adds evidence to a log-odds score z and
 * the confidence is the logistic function of it:
 *
 *   z = −3.0                                       prior: most pairs in a block are not the payment
 *     + 5.5   the line carries the bill's OCR number (exact, digits only)
 *     | 3.0   or the bill's invoice number appears in the line's text/reference
 *     + 2.5   amount exactly equal
 *     | 1.5 × (1 − |Δ| / tolerance)   amount within tolerance (1 % of the amount, at least 1 kr, at most 100 kr)
 *     | −2.5  amount outside tolerance (only reachable through a reference match)
 *     + 1.5 × date score   1 inside the normal payment window (bills: 10 days before to 3 days after the due date;
 *                          transactions: ±2 days), falling linearly to 0 at the edge of the block window
 *                          (bills −60…+45 days, transactions ±14 days)
 *     + 3.0 × name similarity, when it is at least 0.5 (trigram similarity, see names.ts)
 *     + 0.25 per earlier approval for this counterparty (at most 4 → +1.0)
 *     − 0.5 per earlier rejection (at most 3 → −1.5)
 *   confidence = 1 / (1 + e^−z), rounded to 4 decimals.
 *
 * Examples: OCR + amount + on time → z 6.5 → 0.998; amount + date + a name at 0.9 → 3.7 → 0.976; amount + date alone
 * → 1.0 → 0.731; amount alone, 30 days late → 0.07 → 0.52. Changing any number here means a new SCORE_VERSION:
 * the version is stored with every suggestion, match, voucher and audit entry so old decisions stay explainable.
 */
export const SCORE_VERSION = 'v1';

export const WEIGHTS = {
  prior: -3,
  ocr: 5.5,
  invoiceNumber: 3,
  amountExact: 2.5,
  amountTolerance: 1.5,
  amountDifferent: -2.5,
  date: 1.5,
  name: 3,
  nameMin: 0.5,
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

export type EvidencePart = 'reference' | 'amount' | 'date' | 'name' | 'history';

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

export function referenceEvidence(kind: EvidenceInput['reference']): number {
  return kind === 'ocr' ? WEIGHTS.ocr : kind === 'invoice_number' ? WEIGHTS.invoiceNumber : 0;
}
export function amountEvidence(
  kind: EvidenceInput['amountKind'],
  differenceOre: number,
  toleranceOre: number,
): number {
  return kind === 'exact'
    ? WEIGHTS.amountExact
    : kind === 'within_tolerance'
      ? WEIGHTS.amountTolerance * (1 - differenceOre / toleranceOre)
      : WEIGHTS.amountDifferent;
}
export const dateEvidence = (score: number): number => WEIGHTS.date * score;
export const nameEvidence = (similarity: number): number =>
  similarity >= WEIGHTS.nameMin ? WEIGHTS.name * similarity : 0;
export function historyEvidence(approved: number, rejected: number): number {
  return (
    WEIGHTS.approvedEach * Math.min(approved, WEIGHTS.approvedMax) +
    WEIGHTS.rejectedEach * Math.min(rejected, WEIGHTS.rejectedMax)
  );
}

/** The log-odds of the pair and each signal's share of it (for "which signals counted"). */
export function evidence(signals: MatchSignals): { z: number; parts: Record<EvidencePart, number> } {
  const parts: Record<EvidencePart, number> = {
    reference: referenceEvidence(signals.reference?.kind ?? null),
    amount: amountEvidence(signals.amount.kind, signals.amount.differenceOre, signals.amount.toleranceOre),
    date: dateEvidence(signals.date.score),
    name: nameEvidence(signals.name?.similarity ?? 0),
    history: signals.history ? historyEvidence(signals.history.approved, signals.history.rejected) : 0,
  };
  return {
    z: WEIGHTS.prior + parts.reference + parts.amount + parts.date + parts.name + parts.history,
    parts,
  };
}

export function confidenceOf(z: number): number {
  return Math.round(10_000 / (1 + Math.exp(-z))) / 10_000;
}

export function confidence(signals: MatchSignals): number {
  return confidenceOf(evidence(signals).z);
}
