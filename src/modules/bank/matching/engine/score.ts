/**
 * The score of a (line, item) pair, computed in scoreInto only (the weights are in ../scoring.ts): amount, date,
 * reference and history evidence, and the name's when the rest is not already decisive. Also the packed name match
 * (similarity and which of the item's names) and the reference kinds as the index stores them.
 */
import {
  amountEvidence,
  amountTolerance,
  dateEvidence,
  dateScore,
  historyEvidence,
  kindEvidence,
  nameEvidence,
  referenceEvidence,
  WEIGHTS,
} from '../scoring';
import type { CandidateType, CounterpartyHistory } from '../types';
import type { MatchContext } from './inputs';

/** Name similarity is skipped when the rest already gives z ≥ this (confidence ≥ 0.99). */
export const DECISIVE_Z = 4.6;

export type RefKind = 'ocr' | 'invoice_number' | null;

export const REF_NONE = 0;
export const REF_OCR = 1;
export const REF_INVOICE = 2;
export const REF_KINDS: readonly RefKind[] = [null, 'ocr', 'invoice_number'];

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** |line − item| in öre. */
export const amountDiff = (abs: number, amount: number): number =>
  abs > amount ? abs - amount : amount - abs;

/** The rounded date score of a pair (line day − item day). */
export const dateScoreOf = (days: number, type: CandidateType): number => round3(dateScore(days, type));

/** History that counts: null unless the counterparty has an approval or a rejection. */
export function knownHistory(context: MatchContext, key: () => string): CounterpartyHistory | null {
  if (!context.history) return null;
  const h = context.history(key());
  return h !== undefined && h !== null && (h.approved > 0 || h.rejected > 0) ? h : null;
}

/** The log-odds of a pair from everything but the name (this sum's order is part of the scores). */
function baseZ(
  refKind: RefKind,
  amount: number,
  diff: number,
  tol: number,
  ds: number,
  days: number,
  type: CandidateType,
  history: CounterpartyHistory | null,
  otherReference: boolean,
): number {
  const amountKind = diff === 0 ? 'exact' : diff <= tol ? 'within_tolerance' : 'different';
  return (
    WEIGHTS.prior +
    referenceEvidence(refKind, otherReference) +
    amountEvidence(amountKind, diff, tol, amount % 100 !== 0) +
    dateEvidence(ds, days, type === 'bill', refKind !== null) +
    (history !== null ? historyEvidence(history.approved, history.rejected) : 0)
  );
}

/**
 * The best name similarity of a pair and which of the item's names gave it, as one number (no object per pair):
 * (the name's position in item.names + 1) · 1024 + the similarity in thousandths (0 … 1000). The position is -1
 * (no name matched) unless the similarity reaches the mismatch bar (0.3) or the line has a distinctive name (then
 * a low similarity is a mismatch, counted against the pair): see nameMatchOf.
 */
export type NameMatch = number;
const NAME_POSITION_STEP = 1024;
export const nameMatch = (sim: number, position: number): NameMatch =>
  (position + 1) * NAME_POSITION_STEP + Math.round(sim * 1000);
/** The similarity of a name match, rounded to 3 decimals (the same number as round3 gives). */
export const matchSimilarity = (m: NameMatch): number => (m % NAME_POSITION_STEP) / 1000;
/** Which of the item's names gave a name match (-1: none above 0). */
export const matchPosition = (m: NameMatch): number => Math.floor(m / NAME_POSITION_STEP) - 1;

/**
 * The name match from the best similarity `sim` at item-name position `idx` (-1: no item name with letters), the
 * first item name with letters at `first` (-1: none) and whether the line has a distinctive name.
 */
export function nameMatchOf(sim: number, idx: number, first: number, distinctive: boolean): NameMatch {
  if (sim >= WEIGHTS.nameMismatchBelow) return nameMatch(sim, idx);
  if (!distinctive || first < 0) return nameMatch(sim, -1);
  return nameMatch(sim, idx >= 0 ? idx : first);
}

/** Compares the line being scored with an item's names (the index: an item position; the naive scorer: an item). */
export interface NameSource<T> {
  nameMatch(item: T): NameMatch;
}

/** One pair's score as scoreInto leaves it (a caller reuses one: no object per pair on the engine's path). */
export interface PairScore {
  /** The log-odds; confidenceOf(z) is the confidence. */
  z: number;
  diff: number;
  tol: number;
  dateScore: number;
  /** -1: not computed (the rest was decisive). */
  nameSim: number;
  /** Position of the matched name in item.names, -1: none. */
  nameIndex: number;
  /** The line is a card purchase (kindEvidence). */
  card: boolean;
}

export const pairScore = (): PairScore => ({
  z: 0,
  diff: 0,
  tol: 0,
  dateScore: 0,
  nameSim: -1,
  nameIndex: -1,
  card: false,
});

/**
 * The score of one pair, the only place it is computed (the engine's candidates and the naive scorer both call
 * it): the evidence of everything but the name (baseZ), then, unless that is already decisive (z ≥ DECISIVE_Z) or
 * the pair needs a name, the name's. `requireName`: a stage-3 candidate (close amount, no reference) is dropped
 * unless its name similarity reaches the name bar. `days`: line day − item day. Fills `out`; returns false for a
 * dropped pair. `cardLine`: the line is a card purchase (isCardPurchase). `otherReference`: the line's reference is
 * an OCR number and the item a bill with another one (ocrReferenceOf; callers pass it only with refKind null).
 */
export function scoreInto<T>(
  out: PairScore,
  refKind: RefKind,
  lineAbs: number,
  amount: number,
  days: number,
  type: CandidateType,
  history: CounterpartyHistory | null,
  requireName: boolean,
  names: NameSource<T>,
  item: T,
  cardLine: boolean,
  otherReference: boolean,
): boolean {
  const diff = amountDiff(lineAbs, amount);
  const tol = amountTolerance(amount);
  const ds = dateScoreOf(days, type);
  const cardBill = cardLine && type === 'bill' && refKind === null;
  let z = baseZ(refKind, amount, diff, tol, ds, days, type, history, otherReference);
  let nameSim = -1;
  let nameIndex = -1;
  // a card purchase against a bill always needs the name (it may lift the card evidence)
  if (cardBill || z < DECISIVE_Z || requireName) {
    const match = names.nameMatch(item);
    nameSim = matchSimilarity(match);
    if (requireName && refKind === null && nameSim < WEIGHTS.nameMin) return false;
    nameIndex = matchPosition(match);
  }
  // the order of evidence(): … + history + kind + name (a part that is 0 is left out: x + 0 is x)
  if (cardLine) z += kindEvidence(cardBill, nameSim, type === 'transaction', days);
  if (nameSim >= 0) z += nameEvidence(nameSim, nameIndex >= 0);
  out.z = z;
  out.diff = diff;
  out.tol = tol;
  out.dateScore = ds;
  out.nameSim = nameSim;
  out.nameIndex = nameIndex;
  out.card = cardLine;
  return true;
}
