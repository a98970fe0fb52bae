/**
 * The naive scorer: one pair at a time, with no index — the line's reference and invoice-number tokens compared
 * directly, names normalised through a NameCache. scorePair is the all-pairs baseline of bench/matching (no
 * blocking); NaiveMatcher applies the blocking rules to every pair (the randomized test's reference). Both score
 * with scoreInto, like the engine.
 */
import {
  gramSimilarity,
  gramSimilarityReaches,
  nameFeatures,
  type NameFeatures,
} from '../../../../common/names';
import { amountTolerance, confidenceAmong, confidenceOf, DATE_WINDOW, oddsWeight, WEIGHTS } from '../scoring';
import type { MatchItem, MatchLine, MatchSignals, Suggestion } from '../types';
import { AUTO_TRANSACTION_DAYS } from './batch-assignment';
import { CONVINCING_Z } from './candidate-index';
import {
  counterpartyKeyFor,
  nameCache,
  prepareItem,
  prepareLine,
  type MatchContext,
  type NameCache,
  type PreparedItem,
  type PreparedLine,
} from './inputs';
import {
  knownHistory,
  nameMatchOf,
  pairScore,
  scoreInto,
  type NameMatch,
  type NameSource,
  type RefKind,
} from './score';
import { MAX_BLOCK_NAMES, prefixesOf } from './name-index';
import { otherReferenceOf, RIVAL_POOL, rivalsOf, signalsOf, toSuggestion, type Scored } from './suggestion';
import { digitsOf, invoiceTokens, isCardPurchase, normalizeRef, referenceTokens } from './tokens';

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
  const distinctive = lineF.some((f) => f.distinctive);
  return nameMatchOf(
    sim,
    idx,
    itemF.findIndex((f) => f.grams.length > 0),
    distinctive,
  );
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
  const cardLine = (pl.card ??= isCardPurchase(pl.line));
  const otherReference = otherReferenceOf(pl.line, item, refKind);
  if (
    !scoreInto(
      score,
      refKind,
      pl.abs,
      item.amount,
      days,
      item.type,
      history,
      requireName,
      names,
      p,
      cardLine,
      otherReference !== '',
    )
  )
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
    card: score.card,
    otherReference,
    rivals: [],
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
): { confidence: number; z: number; signals: MatchSignals } | null {
  if (p.item.direction !== pl.direction) return null;
  const ocr = p.item.ocr ? digitsOf(p.item.ocr) : null;
  const invoice = p.item.invoiceNumber ? normalizeRef(p.item.invoiceNumber) : null;
  const scored =
    ocr && pl.refs.has(ocr)
      ? scorePrepared(pl, p, 'ocr', ocr, context, false, features)
      : invoice && invoice.length >= 3 && pl.invoiceRefs.has(invoice)
        ? scorePrepared(pl, p, 'invoice_number', p.item.invoiceNumber!, context, false, features)
        : scorePrepared(pl, p, null, '', context, false, features);
  return scored && { confidence: confidenceOf(scored.z), z: scored.z, signals: signalsOf(scored) };
}

/**
 * The blocking rules of the candidate index (see index.ts) written out plainly, every item tried for every line:
 * what CandidateIndex.rank and assignBatch must return, ranked and decided the same way, for the randomized test
 * that holds the index to it. Items of the line's direction, not excluded, found by
 * - stage 1: the line's reference or a digit run of its text is the item's OCR number (any amount, any date);
 * - stage 2: the exact amount, inside the date window;
 * - stage 3, only while stages 1–2 found nothing convincing: the item's invoice number among the line's tokens;
 *   or, inside the date window and the line's amount tolerance, a name of the item in one of the name blocks of
 *   the line's names (blocks of more than MAX_BLOCK_NAMES names skipped when the line has a smaller one) and
 *   similar enough to one of them — a candidate kept only when its name similarity reaches the name bar.
 * The first stage that finds an item gives its reference kind.
 */
export class NaiveMatcher {
  private readonly items: PreparedItem[];
  /** Word prefix → the distinct item names (raw) with a word of that prefix. */
  private readonly blocks = new Map<string, Set<string>>();
  private readonly features: NameCache = nameCache();

  constructor(items: readonly MatchItem[]) {
    this.items = items.map(prepareItem);
    for (const item of items)
      for (const name of item.names)
        for (const prefix of prefixesOf(this.features(name))) {
          const block = this.blocks.get(prefix) ?? new Set<string>();
          block.add(name);
          this.blocks.set(prefix, block);
        }
  }

  /** The scored candidates of a line, best first (z, then the smaller id), at most `limit`, none below `floor`. */
  rank(line: MatchLine, context: MatchContext, limit: number, floor: number): Scored[] {
    if (line.amount === 0) return [];
    const pl = prepareUnindexedLine(line);
    const found = new Map<PreparedItem, Scored>();
    const open = this.items.filter(
      (p) => p.item.direction === pl.direction && !context.excluded?.has(p.item.id),
    );
    const score = (p: PreparedItem, refKind: RefKind, refValue: string, requireName: boolean) => {
      const s = scorePrepared(pl, p, refKind, refValue, context, requireName, this.features);
      if (s) found.set(p, s);
    };
    for (const p of open)
      if (p.item.ocr && pl.refs.has(digitsOf(p.item.ocr))) score(p, 'ocr', digitsOf(p.item.ocr), false);
    for (const p of open)
      if (!found.has(p) && p.item.amount === pl.abs && inWindow(pl, p)) score(p, null, '', false);
    if (Math.max(-Infinity, ...[...found.values()].map((s) => s.z)) < CONVINCING_Z) {
      for (const p of open) {
        const invoice = p.item.invoiceNumber ? normalizeRef(p.item.invoiceNumber) : '';
        if (!found.has(p) && invoice.length >= 3 && pl.invoiceRefs.has(invoice))
          score(p, 'invoice_number', p.item.invoiceNumber!, false);
      }
      const similar = this.similarNames(lineNames(pl, this.features));
      const tol = amountTolerance(pl.abs);
      for (const p of open)
        if (
          !found.has(p) &&
          Math.abs(p.item.amount - pl.abs) <= tol &&
          inWindow(pl, p) &&
          p.item.names.some((name) => similar.has(name))
        )
          score(p, null, '', true);
    }
    const ranked = [...found.values()].sort((a, b) => b.z - a.z || (a.item.id < b.item.id ? -1 : 1));
    const total = ranked.reduce((sum, s) => sum + oddsWeight(s.z), 0);
    const top = ranked.slice(0, RIVAL_POOL);
    const out: Scored[] = [];
    for (const s of ranked.slice(0, limit)) {
      const confidence = confidenceAmong(s.z, total);
      if (confidence < floor) break;
      const rivals = rivalsOf(
        s.z,
        top.filter((o) => o !== s),
      );
      out.push({ ...s, confidence, rivals });
    }
    return out;
  }

  /** The item names of the blocks of the line's names that are similar enough to one of them. */
  private similarNames(lineF: readonly NameFeatures[]): Set<string> {
    const blocks = lineF.map((f) =>
      prefixesOf(f)
        .map((prefix) => this.blocks.get(prefix))
        .filter((block) => block !== undefined),
    );
    const selective = blocks.some((of) => of.some((block) => block.size <= MAX_BLOCK_NAMES));
    const similar = new Set<string>();
    for (const block of blocks.flat()) {
      if (selective && block.size > MAX_BLOCK_NAMES) continue;
      for (const name of block)
        if (lineF.some((f) => gramSimilarityReaches(f, this.features(name), WEIGHTS.nameMin)))
          similar.add(name);
    }
    return similar;
  }

  /**
   * assignBatch's decisions, plainly: each line's 3 best at or above max(0.2, bar − margin); the pairs at or above
   * `bar` strongest first (ties in line order, then rank); a pair taken when its line and item are free, no
   * other free candidate of the line comes within `margin` (an OCR match contested only by another), and no other
   * line has the item among its kept best within `margin`; without a reference never a card purchase, and a
   * transaction only within AUTO_TRANSACTION_DAYS of the line. The decided
   * suggestion per line position, or null.
   */
  assign(
    lines: readonly MatchLine[],
    context: (line: MatchLine) => MatchContext,
    bar: number,
    margin: number,
  ): (Suggestion | null)[] {
    const floor = Math.max(0.2, bar - margin);
    const best = lines.map((line) => this.rank(line, context(line), 3, floor));
    const pairs = best
      .flatMap((ranked, li) => ranked.map((s) => ({ li, s })))
      .filter(
        ({ s }) =>
          s.confidence! >= bar &&
          !(
            s.refKind === null &&
            (s.card || (s.item.type === 'transaction' && Math.abs(s.days) > AUTO_TRANSACTION_DAYS))
          ),
      )
      .sort((a, b) => b.s.confidence! - a.s.confidence!);
    const decided: (Suggestion | null)[] = lines.map(() => null);
    const taken = new Set<string>();
    for (const { li, s } of pairs) {
      if (decided[li] || taken.has(s.item.id)) continue;
      const ocr = s.refKind === 'ocr';
      const contested = best[li].some(
        (o) =>
          o !== s &&
          !taken.has(o.item.id) &&
          o.confidence! > s.confidence! - margin &&
          (!ocr || o.refKind === 'ocr'),
      );
      if (contested) continue;
      const claimedElsewhere = best.some(
        (ranked, lj) =>
          lj !== li && ranked.some((o) => o.item.id === s.item.id && o.confidence! > s.confidence! - margin),
      );
      if (claimedElsewhere) continue;
      taken.add(s.item.id);
      decided[li] = toSuggestion(s);
    }
    return decided;
  }
}

function inWindow(pl: PreparedLine, p: PreparedItem): boolean {
  const w = DATE_WINDOW[p.item.type];
  const days = pl.day - p.day;
  return days <= w.after && days >= -w.before;
}
