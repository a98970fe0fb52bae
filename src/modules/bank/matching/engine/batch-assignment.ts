/**
 * One decision per line for a whole batch (assignBatch): each line's best candidates from the candidate index, the
 * pairs strongest first, one item per line at most, and no decision where another candidate comes too close
 * (uniqueBest is the same rule for one line's suggestions).
 */
import { confidenceAmong, confidenceOf, oddsWeight } from '../scoring';
import type { CounterpartyHistory, MatchItem, MatchLine, Suggestion } from '../types';
import type { CandidateIndex } from './candidate-index';
import { noContext, type MatchContext, type SuggestOptions } from './inputs';
import { REF_NONE, REF_OCR } from './score';
import { LazySuggestion, rivalsOf, scoredFrom, toSuggestion } from './suggestion';
import { isCardPurchase } from './tokens';

/**
 * Auto-booking bar and uniqueness: the best suggestion counts only if no other comes within this margin — except
 * that a candidate found by its OCR number is contested only by another OCR match: an OCR number identifies one
 * bill (check digit and all), so next month's bill of the same subscription, same amount, does not hold it back.
 */
export const AUTO_BOOKING_BAR = 0.9;
export const UNIQUE_MARGIN = 0.15;
/**
 * Without a reference, a transaction is booked automatically only when the line is dated within this many days of
 * it: a transaction is an event entered with its date, which the bank books within days; the same amount from the
 * same counterparty a week or more later is as likely another event (a second refund, the next purchase).
 */
export const AUTO_TRANSACTION_DAYS = 7;
/**
 * The bar the review screen shows a line as `suggested` at (a line with a suggestion at or above it): the engine's
 * precision target (≥ 0.99) holds for the best suggestion at or above it. At most one candidate of a line can reach
 * it (the confidences of a line's candidates add up to less than 1).
 */
export const SUGGESTION_BAR = 0.5;

const byOcr = (s: Suggestion): boolean => s.signals.reference?.kind === 'ocr';

/** The best suggestion if it is at or above `bar` and clearly ahead of the next one (see above); else null. */
export function uniqueBest(
  suggestions: readonly Suggestion[],
  bar = AUTO_BOOKING_BAR,
  margin = UNIQUE_MARGIN,
): Suggestion | null {
  const [best, ...rest] = suggestions;
  if (!best || best.confidence < bar) return null;
  const ocr = byOcr(best);
  const rival = rest.find((s) => s.confidence > best.confidence - margin && (!ocr || byOcr(s)));
  return rival ? null : best;
}

/**
 * The claims of all lines of one run on items — a run is several batches (MatchingService.refresh matches in chunks
 * of 500 lines, each against its own candidate index): per item the two strongest claims of different lines
 * (confidence ×10 000, among each line's 3 best at or above assignBatch's floor). Pass one to assignBatch for every
 * batch of the run, then drop the decisions `contested` says another line of the run holds back: an item that
 * another line claims within the margin is booked for neither, whichever batch the lines are in (a refund and
 * another refund of the same amount ten days later, in the next chunk: both "explain" the one credit note).
 */
export class RunClaims {
  /** Per item: the strongest claim, its line, and the strongest of another line. */
  private readonly claims = new Map<string, { first: number; line: string; second: number }>();

  /** A line's claim on an item (confidence ×10 000). */
  add(itemId: string, lineId: string, confidence: number): void {
    const c = this.claims.get(itemId);
    if (!c) this.claims.set(itemId, { first: confidence, line: lineId, second: 0 });
    else if (confidence > c.first) {
      if (c.line !== lineId) c.second = c.first;
      c.first = confidence;
      c.line = lineId;
    } else if (c.line !== lineId && confidence > c.second) c.second = confidence;
  }

  /** Another line of the run claims the item within `margin` of this decision (line, confidence 0–1). */
  contested(itemId: string, lineId: string, confidence: number, margin = UNIQUE_MARGIN): boolean {
    const c = this.claims.get(itemId);
    const other = !c ? 0 : c.line === lineId ? c.second : c.first;
    return other / 10_000 > confidence - margin;
  }
}

/** The stamp of the last batch (CandidateIndex.taken marks an item given to a line of the batch with it). */
let batchSerial = 0;

/**
 * One decision per line for a whole batch, one item per line at most: all (line, suggestion) pairs at or above
 * `bar`, strongest first; a pair is taken when both its line and item are still free, no other free candidate
 * of that line (among its 3 best at or above max(0.2, bar − margin)) comes within `margin` (an OCR match is
 * contested only by another OCR match, see UNIQUE_MARGIN), and no other line of the batch claims the item within
 * `margin` (among its 3 best at or above the same floor: two identical card purchases and one entered expense).
 * Without a reference (OCR or invoice number) two more things are never decided: a card purchase — it carries no
 * number, identical purchases (merchant, amount, day) are common, and the line that is the rival may be in another
 * batch —, and a transaction dated more than AUTO_TRANSACTION_DAYS (7) days from the line. Used by the bench (precision/recall) and by automatic
 * booking of a batch. `run`: the claims of the other batches of the same run (RunClaims) — this batch's are added;
 * the caller drops the decisions it finds contested once every batch of the run is assigned.
 */
export function assignBatch(
  index: CandidateIndex,
  lines: readonly MatchLine[],
  context: (line: MatchLine) => MatchContext = noContext,
  bar = AUTO_BOOKING_BAR,
  margin = UNIQUE_MARGIN,
  run?: RunClaims,
): BatchDecisions {
  return assign(index, lines, context, bar, margin, ++batchSerial, run, null);
}

/**
 * What MatchingService.refresh needs of a batch in one pass over its lines: every line's ranked suggestions (as
 * `index.suggest(line, context(line), options)` returns them) and the batch decisions (as assignBatch) — each
 * line's candidates collected once for both, where suggest then assignBatch collect them twice.
 */
export function suggestAndAssign(
  index: CandidateIndex,
  lines: readonly MatchLine[],
  context: (line: MatchLine) => MatchContext = noContext,
  options: SuggestOptions = {},
  bar = AUTO_BOOKING_BAR,
  margin = UNIQUE_MARGIN,
  run?: RunClaims,
): { suggestions: Suggestion[][]; decisions: BatchDecisions } {
  const { limit = 5, floor = 0.2, explain = true } = options;
  const suggestions: Suggestion[][] = new Array<Suggestion[]>(lines.length);
  const decisions = assign(index, lines, context, bar, margin, ++batchSerial, run, (li, count) => {
    const ranked = count ? index.rankCollected(lines[li], count, limit, floor) : [];
    suggestions[li] = ranked.map((s) => toSuggestion(s, explain));
  });
  return { suggestions, decisions };
}

/**
 * One decision per line for a batch (see assignBatch): each line's 3 best candidates at or above the floor into
 * flat arrays, the pairs at or above `bar` ordered by a counting sort on the rounded confidence (ties in input
 * order), and a suggestion object only for the pairs taken — in the order of the lines.
 */
function assign(
  index: CandidateIndex,
  lines: readonly MatchLine[],
  context: (line: MatchLine) => MatchContext,
  bar: number,
  margin: number,
  stamp: number,
  run: RunClaims | undefined,
  /** Called right after each line's candidates are collected (suggestAndAssign ranks them then). */
  collected: ((position: number, count: number) => void) | null,
): BatchDecisions {
  const TOP = 3;
  const n = lines.length;
  const floor = Math.max(0.2, bar - margin);
  const slots = n * TOP;
  const sItem = new Int32Array(slots);
  /** Each line's best 3 (whatever their confidence): item and z, by slot (-1: none) — the rivals of a decision. */
  const topItem = new Int32Array(slots).fill(-1);
  const topZ = new Float64Array(slots);
  // confidences ×10 000 and similarities ×1000: both were rounded to those steps, so the integers are exact
  const sConf = new Int16Array(slots);
  const sSim = new Int16Array(slots);
  const sName = new Int32Array(slots);
  const sRef = new Uint8Array(slots);
  /** Histories that count, by slot (only when there are any). */
  let sHistory: Map<number, CounterpartyHistory> | null = null;
  const sCount = new Uint8Array(n);
  /** Pairs at or above the bar: slot numbers, in input order. */
  const pairSlot = new Int32Array(slots);
  let pairs = 0;
  const buckets = new Int32Array(10_002);
  index.lookAhead(lines);
  for (let li = 0; li < n; li++) {
    const line = lines[li];
    const count = index.collect(line, context(line), li);
    if (collected) collected(li, count);
    if (!count) continue;
    const card = index.cardLine;
    // Linear top 3 by (z desc, id asc), and the sum of the odds of all candidates (confidenceAmong).
    let t0 = -1;
    let t1 = -1;
    let t2 = -1;
    for (let k = 0; k < count; k++) {
      if (t2 >= 0 && !index.before(k, t2)) continue;
      if (t0 < 0 || index.before(k, t0)) {
        t2 = t1;
        t1 = t0;
        t0 = k;
      } else if (t1 < 0 || index.before(k, t1)) {
        t2 = t1;
        t1 = k;
      } else t2 = k;
    }
    for (let r = 0; r < TOP; r++) {
      const k = r === 0 ? t0 : r === 1 ? t1 : t2;
      if (k < 0) break;
      topItem[li * TOP + r] = index.cItem[k];
      topZ[li * TOP + r] = index.cZ[k];
    }
    // No candidate can reach the floor when the best cannot alone (a share of the odds is at most the logistic;
    // 0.001 below for the rounding): most lines stop here, without an e^z per candidate.
    if (confidenceOf(index.cZ[t0]) < floor - 0.001) continue;
    // the sum of the odds of all candidates (confidenceAmong); one candidate alone: the logistic, no odds needed
    let total = 0;
    if (count > 1) for (let k = 0; k < count; k++) total += oddsWeight(index.cZ[k]);
    let m = 0;
    for (let r = 0; r < TOP; r++) {
      const k = r === 0 ? t0 : r === 1 ? t1 : t2;
      if (k < 0) break;
      const confidence = count > 1 ? confidenceAmong(index.cZ[k], total) : confidenceOf(index.cZ[k]);
      if (confidence < floor) break;
      const s = li * TOP + r;
      sItem[s] = index.cItem[k];
      sConf[s] = Math.round(confidence * 10_000);
      sSim[s] = Math.round(index.cSim[k] * 1000);
      sName[s] = index.cName[k];
      sRef[s] = index.cRef[k];
      const history = index.cHistory[k];
      if (history) (sHistory ??= new Map()).set(s, history);
      m++;
      // without a reference: never a card purchase, a transaction only within a week of it (see assignBatch)
      if (
        confidence >= bar &&
        !(index.cRef[k] === REF_NONE && (card || index.transactionApartMoreThan(k, AUTO_TRANSACTION_DAYS)))
      ) {
        pairSlot[pairs++] = s;
        buckets[10_000 - Math.round(confidence * 10_000) + 1]++;
      }
    }
    sCount[li] = m;
  }
  // Per item, the two strongest claims of different lines (confidence ×10 000, among the slots kept): an item
  // that another line claims almost as strongly is not given to either (two identical card purchases, one entered).
  const nItems = index.items.length;
  const itemTop1 = new Int32Array(nItems);
  const itemTop1Line = new Int32Array(nItems).fill(-1);
  const itemTop2 = new Int32Array(nItems);
  for (let li = 0; li < n; li++)
    for (let s = li * TOP, end = s + sCount[li]; s < end; s++) {
      const i = sItem[s];
      const c = sConf[s];
      if (c > itemTop1[i]) {
        itemTop2[i] = itemTop1[i];
        itemTop1[i] = c;
        itemTop1Line[i] = li;
      } else if (c > itemTop2[i]) itemTop2[i] = c;
      if (run) run.add(index.items[i].id, lines[li].id, c);
    }
  // Strongest first (confidence to 4 decimals), ties in input order: a stable counting sort.
  for (let b = 1; b < buckets.length; b++) buckets[b] += buckets[b - 1];
  const order = new Int32Array(pairs);
  for (let p = 0; p < pairs; p++) order[buckets[10_000 - sConf[pairSlot[p]]]++] = pairSlot[p];

  const decidedSlot = new Int32Array(n).fill(-1);
  let decided = 0;
  const taken = index.taken;
  for (let p = 0; p < pairs; p++) {
    const s = order[p];
    const li = (s / TOP) | 0;
    if (decidedSlot[li] >= 0 || taken[sItem[s]] === stamp) continue;
    const limit = sConf[s] / 10_000 - margin;
    const ocr = sRef[s] === REF_OCR;
    let contested = false;
    for (let o = li * TOP, end = o + sCount[li]; o < end; o++) {
      if (
        o !== s &&
        taken[sItem[o]] !== stamp &&
        sConf[o] / 10_000 > limit &&
        (!ocr || sRef[o] === REF_OCR)
      ) {
        contested = true;
        break;
      }
    }
    if (contested) continue;
    const i = sItem[s];
    const otherLine = itemTop1Line[i] === li ? itemTop2[i] : itemTop1[i];
    if (otherLine / 10_000 > limit) continue;
    taken[sItem[s]] = stamp;
    decidedSlot[li] = s;
    decided++;
  }
  return new BatchDecisions(
    decided,
    decidedSlot,
    (li) => {
      const s = decidedSlot[li];
      const line = lines[li];
      const item = index.items[sItem[s]];
      const others: { item: MatchItem; z: number }[] = [];
      for (let o = li * TOP; o < li * TOP + TOP; o++)
        if (o !== s && topItem[o] >= 0) others.push({ item: index.items[topItem[o]], z: topZ[o] });
      const scored = scoredFrom(
        line,
        item,
        // the signals do not use z (the confidence is kept)
        NaN,
        sRef[s],
        // round3 made the similarity k / 1000 (-1: not computed): the same number again
        sSim[s] / 1000,
        sName[s],
        sHistory?.get(s) ?? null,
        item.counterpartyKey ?? index.nameKeyOf(line),
        isCardPurchase(line),
        rivalsOf(topZ[s], others),
      );
      scored.confidence = sConf[s] / 10_000;
      return new LazySuggestion(scored);
    },
    (li) => index.items[sItem[decidedSlot[li]]].id,
  );
}

/**
 * A batch's decisions by line position (the position in the lines given to assignBatch), kept as numbers: a
 * line's Suggestion is built when it is read (batches book few of them).
 */
export class BatchDecisions {
  constructor(
    /** How many lines got an item. */
    readonly size: number,
    /** Per line position: its pair, -1 when none. */
    private readonly slots: Int32Array,
    private readonly build: (position: number) => Suggestion,
    private readonly itemIdAt: (position: number) => string,
  ) {}

  /** The suggestion decided for the line at `position`, or null. */
  get(position: number): Suggestion | null {
    return this.slots[position] >= 0 ? this.build(position) : null;
  }

  /** Only the id of the item decided for the line at `position` (no suggestion built), or null. */
  itemId(position: number): string | null {
    return this.slots[position] >= 0 ? this.itemIdAt(position) : null;
  }
}
