/**
 * The naive scorer: one pair at a time, with no index — the line's reference and invoice-number tokens compared
 * directly, names normalised through a NameCache. The all-pairs baseline of bench/matching; scores with scoreInto,
 * like the engine.
 */
import { nameFeatures, gramSimilarity, type NameFeatures } from '../names';
import { confidenceOf } from '../scoring';
import type { MatchItem, MatchLine, MatchSignals } from '../types';
import {
  counterpartyKeyFor,
  prepareLine,
  type MatchContext,
  type NameCache,
  type PreparedItem,
  type PreparedLine,
} from './inputs';
import {
  knownHistory,
  nameMatch,
  pairScore,
  scoreInto,
  type NameMatch,
  type NameSource,
  type RefKind,
} from './score';
import { signalsOf, type Scored } from './suggestion';
import { digitsOf, invoiceTokens, normalizeRef, referenceTokens } from './tokens';

function keyOf(pl: PreparedLine, item: MatchItem): string {
  return item.counterpartyKey ?? (pl.nameKey ??= counterpartyKeyFor(pl.line, null));
}

/** The best name similarity of the line's names against the item's (in item.names order), and which name. */
function bestName(lineF: readonly NameFeatures[], itemF: readonly NameFeatures[]): NameMatch {
  let sim = 0;
  let idx = -1;
  for (let a = 0; a < lineF.length; a++) {
    const f = lineF[a];
    for (let k = 0; k < itemF.length; k++) {
      const s = gramSimilarity(f, itemF[k]);
      if (s > sim) {
        sim = s;
        idx = k;
      }
    }
  }
  return nameMatch(sim, idx);
}

function lineNames(pl: PreparedLine, features: NameCache): NameFeatures[] {
  if (!pl.names) {
    pl.names = [];
    const { counterpartyName, text } = pl.line;
    if (counterpartyName) {
      const f = features(counterpartyName);
      if (f.grams.length) pl.names.push(f);
    }
    if (text && text !== counterpartyName) {
      const f = features(text);
      if (f.grams.length) pl.names.push(f);
    }
  }
  return pl.names;
}

/**
 * Scores one pair without an index (scoreInto with the line's and the item's names). `requireName`: see scoreInto.
 * Returns null for a dropped pair.
 */
export function scorePrepared(
  pl: PreparedLine,
  p: PreparedItem,
  refKind: RefKind,
  refValue: string,
  context: MatchContext,
  requireName: boolean,
  features: NameCache,
): Scored | null {
  const item = p.item;
  const days = pl.day - p.day;
  const history = context.history ? knownHistory(context, () => keyOf(pl, item)) : null;
  const names: NameSource<PreparedItem> = {
    nameMatch: (q) => bestName(lineNames(pl, features), (q.names ??= q.item.names.map(features))),
  };
  const score = pairScore();
  if (!scoreInto(score, refKind, pl.abs, item.amount, days, item.type, history, requireName, names, p))
    return null;
  return {
    key: keyOf(pl, item),
    item,
    z: score.z,
    refKind,
    refValue,
    diff: score.diff,
    tol: score.tol,
    days,
    dateScore: score.dateScore,
    nameSim: score.nameSim,
    nameMatched: score.nameIndex >= 0 ? item.names[score.nameIndex] : '',
    history,
  };
}

/** A line prepared for scoring without an index: its reference and invoice-number tokens as sets. */
export interface UnindexedLine extends PreparedLine {
  refs: Set<string>;
  invoiceRefs: Set<string>;
}

export function prepareUnindexedLine(line: MatchLine): UnindexedLine {
  return {
    ...prepareLine(line),
    refs: new Set(referenceTokens(line)),
    invoiceRefs: new Set(invoiceTokens(line)),
  };
}

/**
 * One pair scored with no blocking at all: the reference is compared directly. This is the naive all-pairs
 * baseline of bench/matching (same scorer as the engine); null when the directions differ.
 */
export function scorePair(
  pl: UnindexedLine,
  p: PreparedItem,
  context: MatchContext = {},
  features: NameCache = nameFeatures,
): { confidence: number; signals: MatchSignals } | null {
  if (p.item.direction !== pl.direction) return null;
  const ocr = p.item.ocr ? digitsOf(p.item.ocr) : null;
  const invoice = p.item.invoiceNumber ? normalizeRef(p.item.invoiceNumber) : null;
  const scored =
    ocr && pl.refs.has(ocr)
      ? scorePrepared(pl, p, 'ocr', ocr, context, false, features)
      : invoice && invoice.length >= 3 && pl.invoiceRefs.has(invoice)
        ? scorePrepared(pl, p, 'invoice_number', p.item.invoiceNumber!, context, false, features)
        : scorePrepared(pl, p, null, '', context, false, features);
  return scored && { confidence: confidenceOf(scored.z), signals: signalsOf(scored) };
}
