import { dayNumber } from '../common/dates';
import { gramSimilarity, nameFeatures, normalizeName, type NameFeatures } from './names';
import {
  amountEvidence,
  amountTolerance,
  confidenceOf,
  DATE_WINDOW,
  dateEvidence,
  dateScore,
  historyEvidence,
  nameEvidence,
  referenceEvidence,
  SCORE_VERSION,
  WEIGHTS,
} from './scoring';
import type { CounterpartyHistory, Direction, MatchItem, MatchLine, MatchSignals, Suggestion } from './types';
import { whyText } from './why';

/**
 * The matching engine: blocking, then scoring — never every line against every item.
 *
 * Blocking (CandidateIndex, built once per batch of open items):
 * - stage 1, reference index: OCR number → bills (any date, any amount), looked up with the line's reference and
 *   with digit runs typed into its text;
 * - stage 2, amount buckets × date window: per direction (in/out), exact amount (öre) → items, each kept only
 *   when its date is inside the window of its type (line − item: bills −60…+45 days around the due date,
 *   transactions ±14 days);
 * - stage 3, only while stages 1–2 found nothing convincing (< 0.9): the invoice-number index, and name blocks ×
 *   amount range × date window — items whose name shares a word prefix (first 4 letters of a normalised word)
 *   with the line's (blocks shared by more than 16 names are skipped when a more selective one exists), within
 *   the amount tolerance and the date window, kept only when the name similarity is at least 0.5: an amount that
 *   is merely close says little on its own.
 *
 * Scoring: see scoring.ts. Name similarity is the costly signal: names are normalised once per distinct string
 * (per index), and the similarity is skipped when reference + amount + date already make the pair decisive
 * (≥ 0.99). The hot path works on plain numbers; the signal objects and why texts are built only for the
 * suggestions returned.
 */

export interface PreparedItem {
  item: MatchItem;
  day: number;
  /** Serial of the line that last looked at this item (dedupes candidates without a Set per line). */
  seen?: number;
  /** Serial of the batch assignment that gave this item to a line. */
  taken?: number;
}

export interface PreparedLine {
  line: MatchLine;
  day: number;
  abs: number;
  direction: Direction;
  names?: NameFeatures[];
  nameKey?: string;
}

export const prepareItem = (item: MatchItem): PreparedItem => ({ item, day: dayNumber(item.date) });
export const prepareLine = (line: MatchLine): PreparedLine => ({
  line,
  day: dayNumber(line.date),
  abs: Math.abs(line.amount),
  direction: line.amount < 0 ? 'out' : 'in',
});

export interface MatchContext {
  /** Past decisions per counterparty key. */
  history?: (counterpartyKey: string) => CounterpartyHistory | undefined;
  /** Item ids already rejected for this line: never suggested again for it. */
  excluded?: ReadonlySet<string>;
}

export interface SuggestOptions {
  limit?: number;
  /** Suggestions below this confidence are dropped. */
  floor?: number;
  /** Build the why texts now (default true); false builds each on first read (batches read few of them). */
  explain?: boolean;
}

/** Normalised names by their raw string: supplier names and bank texts repeat. */
export type NameCache = (name: string) => NameFeatures;
export function nameCache(): NameCache {
  const cache = new Map<string, NameFeatures>();
  return (name) => {
    let f = cache.get(name);
    if (!f) {
      f = nameFeatures(name);
      cache.set(name, f);
    }
    return f;
  };
}

/** Name similarity is skipped when the rest already gives z ≥ this (confidence ≥ 0.99). */
const DECISIVE_Z = 4.6;
/** Stage 3 runs only while the best candidate is below this (confidence 0.9). */
const CONVINCING_Z = Math.log(0.9 / 0.1);
const PREFIX_LENGTH = 4;
/** Name blocks larger than this are skipped when the line also has a smaller one. */
const MAX_BLOCK_NAMES = 16;

const isDigits = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};
const digitsOf = (s: string): string => (isDigits(s) ? s : s.replace(/[\s.-]/g, ''));
const normalizeRef = (s: string): string => (/[\s.-]/.test(s) ? s.replace(/[\s.-]/g, '') : s).toUpperCase();

/** The reference itself, and digit runs of 5+ characters in the text (an OCR number typed into the message). */
function referenceTokens(line: MatchLine): string[] {
  const out: string[] = [];
  if (line.reference) out.push(digitsOf(line.reference));
  const runs = line.text.match(/\d[\d ]{3,}\d/g);
  if (runs) for (const run of runs) out.push(run.includes(' ') ? run.replace(/ /g, '') : run);
  return out;
}

/** Alphanumeric tokens of 3+ characters that may be an invoice number. */
function invoiceTokens(line: MatchLine): string[] {
  const source = line.reference ? `${line.text} ${line.reference}` : line.text;
  const out: string[] = [];
  // Invoice numbers carry at least one digit.
  for (const token of source.match(/[A-Za-z0-9][A-Za-z0-9-]{2,}/g) ?? [])
    if (/\d/.test(token)) out.push(normalizeRef(token));
  return out;
}

/** First letters of each normalised word of 3+ characters: the name blocks. */
function prefixesOf(f: NameFeatures): string[] {
  if (!f.norm) return [];
  const out: string[] = [];
  for (const w of f.norm.split(' ')) if (w.length >= 3) out.push(w.slice(0, PREFIX_LENGTH));
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The counterparty a pairing belongs to (its policy key): the item's supplier, else the bank's normalised name. */
export function counterpartyKeyFor(
  line: Pick<MatchLine, 'counterpartyName' | 'text'>,
  item: Pick<MatchItem, 'counterpartyKey'> | null,
): string {
  if (item?.counterpartyKey) return item.counterpartyKey;
  const name = normalizeName(line.counterpartyName || line.text);
  return `name:${name || '-'}`;
}

function keyOf(pl: PreparedLine, item: MatchItem): string {
  return item.counterpartyKey ?? (pl.nameKey ??= counterpartyKeyFor(pl.line, null));
}

/** One scored pair, plain numbers only; `signalsOf` turns the returned ones into MatchSignals. */
export interface Scored {
  /** The policy key of the pairing. */
  key: string;
  /** confidenceOf(z), set for the ranked ones. */
  confidence?: number;
  p: PreparedItem;
  z: number;
  refKind: 'ocr' | 'invoice_number' | null;
  refValue: string;
  diff: number;
  tol: number;
  days: number;
  dateScore: number;
  /** -1: not computed. */
  nameSim: number;
  nameMatched: string;
  history: CounterpartyHistory | null;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function inWindow(pl: PreparedLine, p: PreparedItem): boolean {
  const days = pl.day - p.day;
  const w = DATE_WINDOW[p.item.type];
  return days <= w.after && days >= -w.before;
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
 * Scores one pair. `requireName`: stage-3 candidates (close amount, no reference) are dropped unless the name
 * similarity reaches the name bar. Returns null for a dropped pair.
 */
export function scorePrepared(
  pl: PreparedLine,
  p: PreparedItem,
  refKind: 'ocr' | 'invoice_number' | null,
  refValue: string,
  context: MatchContext,
  requireName: boolean,
  features: NameCache,
): Scored | null {
  const item = p.item;
  const diff = pl.abs > item.amount ? pl.abs - item.amount : item.amount - pl.abs;
  const tol = amountTolerance(item.amount);
  const amountKind = diff === 0 ? 'exact' : diff <= tol ? 'within_tolerance' : 'different';
  const days = pl.day - p.day;
  const ds = round3(dateScore(days, item.type));
  const history = context.history ? (context.history(keyOf(pl, item)) ?? null) : null;
  const known = history !== null && (history.approved > 0 || history.rejected > 0);
  let z =
    WEIGHTS.prior +
    referenceEvidence(refKind) +
    amountEvidence(amountKind, diff, tol) +
    dateEvidence(ds) +
    (known ? historyEvidence(history.approved, history.rejected) : 0);
  let nameSim = -1;
  let nameMatched = '';
  if (z < DECISIVE_Z || requireName) {
    nameSim = 0;
    const lineFeatures = lineNames(pl, features);
    for (let a = 0; a < lineFeatures.length; a++) {
      for (const raw of item.names) {
        const sim = gramSimilarity(lineFeatures[a], features(raw));
        if (sim > nameSim) {
          nameSim = sim;
          nameMatched = raw;
        }
      }
    }
    nameSim = round3(nameSim);
    if (requireName && refKind === null && nameSim < WEIGHTS.nameMin) return null;
    z += nameEvidence(nameSim);
  }
  return {
    key: keyOf(pl, item),
    p,
    z,
    refKind,
    refValue,
    diff,
    tol,
    days,
    dateScore: ds,
    nameSim,
    nameMatched,
    history: known ? history : null,
  };
}

export function signalsOf(s: Scored): MatchSignals {
  return {
    reference: s.refKind ? { kind: s.refKind, value: s.refValue } : null,
    amount: {
      kind: s.diff === 0 ? 'exact' : s.diff <= s.tol ? 'within_tolerance' : 'different',
      differenceOre: s.diff,
      toleranceOre: s.tol,
    },
    date: { days: s.days, relativeTo: s.p.item.type === 'bill' ? 'due_date' : 'date', score: s.dateScore },
    name: s.nameSim > 0 ? { similarity: s.nameSim, matched: s.nameMatched } : null,
    history: s.history ? { approved: s.history.approved, rejected: s.history.rejected } : null,
  };
}

/**
 * A suggestion whose signal objects and why texts are built on first read (batch decisions: most are never read).
 * Read its fields by name; `toJSON` gives the plain object.
 */
class LazySuggestion implements Suggestion {
  readonly candidate: Suggestion['candidate'];
  readonly label: string;
  readonly confidence: number;
  readonly counterpartyKey: string;
  readonly scoreVersion = SCORE_VERSION;
  private builtSignals?: MatchSignals;
  private builtWhy?: { sv: string; en: string };

  constructor(private readonly scored: Scored) {
    this.candidate = { type: scored.p.item.type, id: scored.p.item.id };
    this.label = scored.p.item.label;
    this.confidence = confidenceOf(scored.z);
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
    candidate: { type: s.p.item.type, id: s.p.item.id },
    label: s.p.item.label,
    confidence: confidenceOf(s.z),
    why: whyText(signals),
    signals,
    counterpartyKey: s.key,
    scoreVersion: SCORE_VERSION,
  };
}

interface Run {
  pl: PreparedLine;
  serial: number;
  context: MatchContext;
  scored: Scored[];
  best: number;
}

interface NameBucket {
  items: PreparedItem[];
  sorted: boolean;
}

export class CandidateIndex {
  private readonly byOcr = new Map<string, PreparedItem[]>();
  private readonly byAmount: Record<Direction, Map<number, PreparedItem[]>> = {
    in: new Map(),
    out: new Map(),
  };
  private readonly all: PreparedItem[];
  /** Built on first use (stage 3): invoice numbers; raw name → items; word prefix → raw names. */
  private byInvoice?: Map<string, PreparedItem[]>;
  private byName?: Map<string, NameBucket>;
  private namesByPrefix?: Map<string, string[]>;
  private readonly features = nameCache();
  private serial = 0;

  constructor(items: readonly MatchItem[]) {
    this.all = new Array<PreparedItem>(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const p = prepareItem(item);
      this.all[i] = p;
      push(this.byAmount[item.direction], item.amount, p);
      if (item.ocr) push(this.byOcr, digitsOf(item.ocr), p);
    }
  }

  get size(): number {
    return this.all.length;
  }

  /** Ranked suggestions for one line (best first), at most `limit` (5), none below `floor` (0.2). */
  suggest(line: MatchLine, context: MatchContext = {}, options: SuggestOptions = {}): Suggestion[] {
    const { limit = 5, floor = 0.2, explain = true } = options;
    return this.rank(line, context, limit, floor).map((s) => toSuggestion(s, explain));
  }

  /** The scored candidates of a line, best first (plain numbers; `toSuggestion` makes them presentable). */
  rank(line: MatchLine, context: MatchContext, limit: number, floor: number): Scored[] {
    if (line.amount === 0) return [];
    const run: Run = { pl: prepareLine(line), serial: ++this.serial, context, scored: [], best: -Infinity };

    // Stage 1: OCR numbers the line carries.
    for (const token of referenceTokens(line)) {
      const hits = this.byOcr.get(token);
      if (hits) for (const p of hits) this.consider(run, p, 'ocr', token, false);
    }
    // Stage 2: the exact-amount bucket, inside the date window.
    const exact = this.byAmount[run.pl.direction].get(run.pl.abs);
    if (exact) for (const p of exact) if (inWindow(run.pl, p)) this.consider(run, p, null, '', false);
    // Stage 3, only while nothing is convincing: invoice numbers in the text; close amounts backed by the name.
    if (run.best < CONVINCING_Z) {
      if (/\d/.test(line.text) || line.reference) {
        const invoices = this.invoiceIndex();
        if (invoices.size) {
          for (const token of invoiceTokens(line)) {
            const hits = invoices.get(token);
            if (hits)
              for (const p of hits)
                this.consider(run, p, 'invoice_number', p.item.invoiceNumber ?? token, false);
          }
        }
      }
      this.closeAmountsByName(run);
    }

    const { scored } = run;
    if (scored.length > 1) scored.sort((a, b) => b.z - a.z || (a.p.item.id < b.p.item.id ? -1 : 1));
    let n = 0;
    while (n < scored.length && n < limit) {
      const confidence = confidenceOf(scored[n].z);
      if (confidence < floor) break;
      scored[n].confidence = confidence;
      n++;
    }
    scored.length = n;
    return scored;
  }

  private consider(
    run: Run,
    p: PreparedItem,
    refKind: Scored['refKind'],
    refValue: string,
    requireName: boolean,
  ): void {
    if (p.seen === run.serial || p.item.direction !== run.pl.direction) return;
    p.seen = run.serial;
    if (run.context.excluded?.has(p.item.id)) return;
    const s = scorePrepared(run.pl, p, refKind, refValue, run.context, requireName, this.features);
    if (!s) return;
    run.scored.push(s);
    if (s.z > run.best) run.best = s.z;
  }

  /**
   * Items whose name shares a word prefix with the line's and is similar enough (≥ 0.5, compared once per
   * distinct name), within the amount tolerance and the date window.
   */
  private closeAmountsByName(run: Run): void {
    const lineFeatures = lineNames(run.pl, this.features);
    if (!lineFeatures.length) return;
    const prefixes: string[] = [];
    for (const f of lineFeatures)
      for (const prefix of prefixesOf(f)) if (!prefixes.includes(prefix)) prefixes.push(prefix);
    if (!prefixes.length) return;
    const { byName, namesByPrefix } = this.nameIndex();
    const tol = amountTolerance(run.pl.abs);
    const min = run.pl.abs - tol;
    const max = run.pl.abs + tol;
    // Block purging: a prefix shared by many names ("ener" of every "… Energi") says little; it is used only when
    // the line has no more selective block.
    const blocks = prefixes.map((p) => namesByPrefix.get(p)).filter((b): b is string[] => !!b);
    const selective = blocks.filter((b) => b.length <= MAX_BLOCK_NAMES);
    const visited = new Set<string>();
    for (const candidates of selective.length ? selective : blocks) {
      for (const name of candidates) {
        if (visited.has(name)) continue;
        visited.add(name);
        const nameF = this.features(name);
        let sim = 0;
        for (const f of lineFeatures) sim = Math.max(sim, gramSimilarity(f, nameF));
        if (sim < WEIGHTS.nameMin) continue;
        const bucket = byName.get(name)!;
        if (!bucket.sorted) {
          bucket.items.sort((a, b) => a.item.amount - b.item.amount);
          bucket.sorted = true;
        }
        const items = bucket.items;
        let lo = 0;
        let hi = items.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (items[mid].item.amount < min) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < items.length && items[i].item.amount <= max; i++) {
          const p = items[i];
          if (inWindow(run.pl, p)) this.consider(run, p, null, '', true);
        }
      }
    }
  }

  private invoiceIndex(): Map<string, PreparedItem[]> {
    if (!this.byInvoice) {
      this.byInvoice = new Map();
      for (const p of this.all) {
        if (!p.item.invoiceNumber) continue;
        const inv = normalizeRef(p.item.invoiceNumber);
        if (inv.length >= 3) push(this.byInvoice, inv, p);
      }
    }
    return this.byInvoice;
  }

  private nameIndex(): { byName: Map<string, NameBucket>; namesByPrefix: Map<string, string[]> } {
    if (!this.byName || !this.namesByPrefix) {
      const byName = new Map<string, NameBucket>();
      for (const p of this.all) {
        for (const name of p.item.names) {
          const bucket = byName.get(name);
          if (bucket) bucket.items.push(p);
          else byName.set(name, { items: [p], sorted: false });
        }
      }
      const namesByPrefix = new Map<string, string[]>();
      for (const name of byName.keys()) {
        const prefixes = prefixesOf(this.features(name));
        prefixes.forEach((prefix, i) => {
          if (prefixes.indexOf(prefix) === i) push(namesByPrefix, prefix, name);
        });
      }
      this.byName = byName;
      this.namesByPrefix = namesByPrefix;
    }
    return { byName: this.byName, namesByPrefix: this.namesByPrefix };
  }
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

/** Auto-booking bar and uniqueness: the best suggestion counts only if no other comes within this margin. */
export const AUTO_BOOKING_BAR = 0.9;
export const UNIQUE_MARGIN = 0.15;

/** The best suggestion if it is at or above `bar` and clearly ahead of the next one; else null. */
export function uniqueBest(
  suggestions: readonly Suggestion[],
  bar = AUTO_BOOKING_BAR,
  margin = UNIQUE_MARGIN,
): Suggestion | null {
  const [best, second] = suggestions;
  if (!best || best.confidence < bar) return null;
  if (second && second.confidence > best.confidence - margin) return null;
  return best;
}

/**
 * One decision per line for a whole batch, one item per line at most: all (line, suggestion) pairs at or above
 * `bar`, strongest first; a pair is taken when both its line and item are still free and no other free candidate
 * of that line comes within `margin`. Used by the bench (precision/recall) and by automatic booking of a batch.
 */
let batchSerial = 0;

export function assignBatch(
  index: CandidateIndex,
  lines: readonly MatchLine[],
  context: (line: MatchLine) => MatchContext = () => ({}),
  bar = AUTO_BOOKING_BAR,
  margin = UNIQUE_MARGIN,
): Map<string, Suggestion> {
  const stamp = ++batchSerial;
  const perLine: Scored[][] = new Array<Scored[]>(lines.length);
  const pairLine: number[] = [];
  const pairs: Scored[] = [];
  const floor = Math.max(0.2, bar - margin);
  for (let i = 0; i < lines.length; i++) {
    const ranked = index.rank(lines[i], context(lines[i]), 3, floor);
    perLine[i] = ranked;
    for (const s of ranked) {
      if (s.confidence! < bar) break;
      pairLine.push(i);
      pairs.push(s);
    }
  }
  // Strongest first, ties in input order: one numeric sort of (10000 − confidence·10000) · 2^24 + pair number.
  const keys = new Float64Array(pairs.length);
  for (let k = 0; k < pairs.length; k++)
    keys[k] = (10_000 - Math.round(pairs[k].confidence! * 10_000)) * 16_777_216 + k;
  keys.sort();
  const decidedLines = new Uint8Array(lines.length);
  const decided = new Map<string, Suggestion>();
  for (let n = 0; n < keys.length; n++) {
    const k = keys[n] % 16_777_216;
    const lineIndex = pairLine[k];
    const s = pairs[k];
    if (decidedLines[lineIndex] || s.p.taken === stamp) continue;
    const limit = s.confidence! - margin;
    let contested = false;
    for (const other of perLine[lineIndex]) {
      if (other !== s && other.p.taken !== stamp && other.confidence! > limit) {
        contested = true;
        break;
      }
    }
    if (contested) continue;
    decidedLines[lineIndex] = 1;
    s.p.taken = stamp;
    decided.set(lines[lineIndex].id, toSuggestion(s, false));
  }
  return decided;
}
