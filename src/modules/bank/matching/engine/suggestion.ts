/**
 * From a scored pair to what callers see: Scored (plain numbers), its MatchSignals, and the Suggestion with its why
 * texts — built at once (toSuggestion) or on first read (LazySuggestion, for batch decisions).
 */
import { dayNumber } from '../../common/dates';
import { amountTolerance, confidenceOf, RIVAL_GAP, SCORE_VERSION } from '../scoring';
import type { CounterpartyHistory, MatchItem, MatchLine, MatchSignals, Suggestion } from '../types';
import { whyText } from '../why';
import { amountDiff, dateScoreOf, REF_INVOICE, REF_KINDS, REF_OCR, type RefKind } from './score';
import { digitsOf, ocrReferenceOf } from './tokens';

/** The line's OCR number when the pair was not found by a reference and the item is a bill with another OCR. */
export function otherReferenceOf(line: MatchLine, item: MatchItem, refKind: RefKind): string {
  return refKind === null && item.ocr ? (ocrReferenceOf(line) ?? '') : '';
}

/** One scored pair, plain numbers only; `signalsOf` turns the returned ones into MatchSignals. */
export interface Scored {
  /** The policy key of the pairing. */
  key: string;
  /** confidenceOf(z), set for the ranked ones. */
  confidence?: number;
  item: MatchItem;
  z: number;
  refKind: RefKind;
  refValue: string;
  diff: number;
  tol: number;
  days: number;
  dateScore: number;
  /** -1: not computed. */
  nameSim: number;
  nameMatched: string;
  history: CounterpartyHistory | null;
  /** The line is a card purchase (evidence against a bill, and against a transaction dated otherwise). */
  card: boolean;
  /** The line's OCR number when the item is a bill with another one ('' otherwise). */
  otherReference: string;
  /** Candidates of the line that explain it almost as well (rivalsOf), best first. */
  rivals: readonly MatchItem[];
}

/** Rivals are looked for among the line's best this many candidates (the engine's top 3). */
export const RIVAL_POOL = 3;
/** At most this many rivals are named. */
export const MAX_RIVALS = 2;
/** The rivals of a candidate that has none (shared: never written to). */
export const NO_RIVALS: readonly MatchItem[] = Object.freeze([]);

/**
 * The candidates among `others` (the line's best RIVAL_POOL without this one, best first) whose log-odds is within
 * RIVAL_GAP of `z`: they explain the line almost as well, and the why text names them.
 */
export function rivalsOf(z: number, others: readonly { item: MatchItem; z: number }[]): MatchItem[] {
  const out: MatchItem[] = [];
  for (const o of others) if (o.z >= z - RIVAL_GAP && out.length < MAX_RIVALS) out.push(o.item);
  return out;
}

export function signalsOf(s: Scored): MatchSignals {
  // the optional keys assigned after the others (the same keys in the same order as spreads, no temporary objects)
  const amount: MatchSignals['amount'] = {
    kind: s.diff === 0 ? 'exact' : s.diff <= s.tol ? 'within_tolerance' : 'different',
    differenceOre: s.diff,
    toleranceOre: s.tol,
  };
  if (s.diff === 0 && s.item.amount % 100 !== 0) amount.specific = true;
  const signals: MatchSignals = {
    reference: s.refKind ? { kind: s.refKind, value: s.refValue } : null,
    amount,
    date: { days: s.days, relativeTo: s.item.type === 'bill' ? 'due_date' : 'date', score: s.dateScore },
    name: s.nameMatched !== '' ? { similarity: s.nameSim, matched: s.nameMatched } : null,
    history: s.history ? { approved: s.history.approved, rejected: s.history.rejected } : null,
  };
  if (s.otherReference) signals.otherReference = s.otherReference;
  if (s.card) signals.cardPurchase = true;
  if (s.rivals.length) signals.rivals = s.rivals.map((r) => ({ type: r.type, id: r.id, label: r.label }));
  return signals;
}

/** The scored pair of a candidate kept as plain numbers (refKind as 0/1/2; refValue follows from the item). */
export function scoredFrom(
  line: MatchLine,
  item: MatchItem,
  z: number,
  ref: number,
  nameSim: number,
  nameIndex: number,
  history: CounterpartyHistory | null,
  key: string,
  cardLine: boolean,
  rivals: readonly MatchItem[],
): Scored {
  const days = dayNumber(line.date) - dayNumber(item.date);
  return {
    key,
    item,
    z,
    refKind: REF_KINDS[ref],
    // stage 1 finds a bill only by its OCR digits, stage 3 only by its invoice number
    refValue: ref === REF_OCR ? digitsOf(item.ocr!) : ref === REF_INVOICE ? item.invoiceNumber! : '',
    diff: amountDiff(Math.abs(line.amount), item.amount),
    tol: amountTolerance(item.amount),
    days,
    dateScore: dateScoreOf(days, item.type),
    nameSim,
    nameMatched: nameIndex >= 0 ? item.names[nameIndex] : '',
    history,
    card: cardLine,
    otherReference: otherReferenceOf(line, item, REF_KINDS[ref]),
    rivals,
  };
}

/**
 * A suggestion whose signal objects and why texts are built on first read (batch decisions: most are never read).
 * Read its fields by name; `toJSON` gives the plain object.
 */
export class LazySuggestion implements Suggestion {
  readonly candidate: Suggestion['candidate'];
  readonly label: string;
  readonly confidence: number;
  readonly counterpartyKey: string;
  readonly scoreVersion = SCORE_VERSION;
  private builtSignals: MatchSignals | undefined = undefined;
  private builtWhy: { sv: string; en: string } | undefined = undefined;

  constructor(private readonly scored: Scored) {
    this.candidate = { type: scored.item.type, id: scored.item.id };
    this.label = scored.item.label;
    this.confidence = scored.confidence ?? confidenceOf(scored.z);
    this.counterpartyKey = scored.key;
  }
  get signals(): MatchSignals {
    return (this.builtSignals ??= signalsOf(this.scored));
  }
  get why(): { sv: string; en: string } {
    return (this.builtWhy ??= whyText(this.signals));
  }
  toJSON(): Suggestion {
    const { candidate, label, confidence, why, signals, counterpartyKey, scoreVersion } = this;
    return { candidate, label, confidence, why, signals, counterpartyKey, scoreVersion };
  }
}

export function toSuggestion(s: Scored, explain = true): Suggestion {
  if (!explain) return new LazySuggestion(s);
  const signals = signalsOf(s);
  return {
    candidate: { type: s.item.type, id: s.item.id },
    label: s.item.label,
    confidence: s.confidence ?? confidenceOf(s.z),
    why: whyText(signals),
    signals,
    counterpartyKey: s.key,
    scoreVersion: SCORE_VERSION,
  };
}
