import { dayNumber } from '../common/dates';
import {
  gramSimilarity,
  gramSimilarityReaches,
  nameFeatures,
  normalizeName,
  trigramsOf,
  type NameFeatures,
} from './names';
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
import type {
  CandidateType,
  CounterpartyHistory,
  Direction,
  MatchItem,
  MatchLine,
  MatchSignals,
  Suggestion,
} from './types';
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
 * (≥ 0.99).
 *
 * How it stays cheap (a batch of 10 000 lines costs about 2.8 times an exact hash join on (amount, reference),
 * see bench/matching.ts):
 * - one pass over the item objects when the index is built; after that the hot loops read numbers: per item one
 *   cache line of a Float64Array (amount, day, flags, the line that last saw it, chain links, name range, OCR
 *   key);
 * - exact amounts, OCR numbers and invoice numbers are open-addressing tables of int32 pairs (tag, first item)
 *   with the items chained through their rows — no array per bucket, no string keys. An OCR number of at most
 *   14 digits is its own key (number · 32 + length); longer ones and invoice numbers are hashed without building
 *   strings, and a hit is checked character by character;
 * - distinct item names get integer ids: features, word-prefix blocks, per name its items sorted by amount (one
 *   radix sort of the items), "visited" as a stamp per id; a line's names are normalised once per distinct text
 *   and shared by normalised name, with the similar names of its blocks kept per normalised name;
 * - each line's candidates are scored into reusable typed arrays and only the returned ones become objects; a
 *   batch first does the table lookups of all its lines in one tight loop (independent lookups: their cache misses
 *   overlap), keeps each line's best 3 in flat arrays (a linear top 3), orders the pairs by a counting sort on the
 *   rounded confidence and returns the decisions as numbers (BatchDecisions builds a line's suggestion when read);
 * - references, digit runs and invoice numbers are found by character scans, not regular expressions; the trigram
 *   merge of the name similarity is branch-free.
 */

export interface PreparedItem {
  item: MatchItem;
  day: number;
  /** The item's name features, filled on first use (the naive scorer). */
  names?: NameFeatures[];
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

const EMPTY_CONTEXT: MatchContext = Object.freeze({});
/**
 * No history, nothing excluded; one function for every batch (a fresh `() => ({})` per batch deoptimised the
 * batch loop at every call in V8: "wrong call target").
 */
export const noContext = (): MatchContext => EMPTY_CONTEXT;

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
/** A name's items (sorted by amount) are scanned in full up to this many, longer lists binary-searched. */
const SCAN_LIMIT = 8;

const BILL_WINDOW = DATE_WINDOW.bill;
const TX_WINDOW = DATE_WINDOW.transaction;

/** JavaScript's `\s` (what the reference normalisation strips, with `.` and `-`). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
const isRefSeparator = (c: number): boolean => c === 45 || c === 46 || isSpace(c);

function hasRefSeparator(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isRefSeparator(s.charCodeAt(i))) return true;
  return false;
}
/** The digits of an OCR number as printed (spaces, dots and dashes dropped). */
const digitsOf = (s: string): string => (hasRefSeparator(s) ? s.replace(/[\s.-]/g, '') : s);
/** An invoice number compared as printed: spaces, dots and dashes dropped, upper case. */
const normalizeRef = (s: string): string => digitsOf(s).toUpperCase();

/** FNV-1a over character codes (32-bit). */
const HASH_SEED = 0x811c9dc5 | 0;
const hashStep = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);

const OUT = 1;
const BILL = 2;
const HAS_OCR = 4;
const REF_NONE = 0;
const REF_OCR = 1;
const REF_INVOICE = 2;
const REF_KINDS: readonly RefKind[] = [null, 'ocr', 'invoice_number'];

/** The reference itself, and digit runs of 5+ characters in the text (an OCR number typed into the message). */
function referenceTokens(line: MatchLine): string[] {
  const out: string[] = [];
  if (line.reference) out.push(digitsOf(line.reference));
  digitRuns(line.text, out);
  return out;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Digit runs of the text as `/\d[\d ]{3,}\d/g` finds them (spaces inside dropped), appended to `out`. */
function digitRuns(text: string, out: string[]): void {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (!isDigit(text.charCodeAt(i))) continue;
    let last = i;
    let j = i + 1;
    let spaced = false;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (isDigit(c)) last = j;
      else if (c === 32) spaced = true;
      else break;
    }
    if (last - i >= 4) {
      const run = text.slice(i, last + 1);
      out.push(spaced ? run.split(' ').join('') : run);
    }
    i = j - 1;
  }
}

const isWordChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Tokens that may be an invoice number, as `/[A-Za-z0-9][A-Za-z0-9-]{2,}/g` with at least one digit finds them:
 * calls `visit(start, end)` for each (positions in `s`).
 */
function scanInvoiceTokens(s: string, visit: (s: string, start: number, end: number) => void): void {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (!isWordChar(c)) continue;
    // the maximal run of [A-Za-z0-9-] from the first letter/digit
    let digit = isDigit(c);
    let j = i + 1;
    for (; j < n; j++) {
      c = s.charCodeAt(j);
      if (c === 45) continue;
      if (!isWordChar(c)) break;
      if (isDigit(c)) digit = true;
    }
    if (j - i >= 3 && digit) visit(s, i, j);
    i = j;
  }
}

/** Alphanumeric tokens of 3+ characters that may be an invoice number (normalised). */
function invoiceTokens(line: MatchLine): string[] {
  const out: string[] = [];
  const visit = (s: string, start: number, end: number) => out.push(normalizeRef(s.slice(start, end)));
  scanInvoiceTokens(line.text, visit);
  if (line.reference) scanInvoiceTokens(line.reference, visit);
  return out;
}

/** First letters of each normalised word of 3+ characters: the name blocks. */
function prefixesOf(f: NameFeatures): string[] {
  const norm = f.norm;
  const out: string[] = [];
  // the words of a normalised name are separated by single spaces
  for (let start = 0; start < norm.length;) {
    let end = norm.indexOf(' ', start);
    if (end < 0) end = norm.length;
    if (end - start >= 3) out.push(norm.slice(start, start + Math.min(PREFIX_LENGTH, end - start)));
    start = end + 1;
  }
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

type RefKind = 'ocr' | 'invoice_number' | null;

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
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/* ---- The scorer, shared by the engine and the naive all-pairs baseline ---- */

/** |line − item| in öre. */
const amountDiff = (abs: number, amount: number): number => (abs > amount ? abs - amount : amount - abs);

/** The rounded date score of a pair (line day − item day). */
const dateScoreOf = (days: number, type: CandidateType): number => round3(dateScore(days, type));

/** History that counts: null unless the counterparty has an approval or a rejection. */
function knownHistory(context: MatchContext, key: () => string): CounterpartyHistory | null {
  if (!context.history) return null;
  const h = context.history(key());
  return h !== undefined && h !== null && (h.approved > 0 || h.rejected > 0) ? h : null;
}

/** The log-odds of a pair from everything but the name (this sum's order is part of the scores). */
function baseZ(
  refKind: RefKind,
  diff: number,
  tol: number,
  ds: number,
  history: CounterpartyHistory | null,
): number {
  const amountKind = diff === 0 ? 'exact' : diff <= tol ? 'within_tolerance' : 'different';
  return (
    WEIGHTS.prior +
    referenceEvidence(refKind) +
    amountEvidence(amountKind, diff, tol) +
    dateEvidence(ds) +
    (history !== null ? historyEvidence(history.approved, history.rejected) : 0)
  );
}

/**
 * The best name similarity of a pair and which of the item's names gave it, as one number (no object per pair):
 * (the name's position in item.names + 1) · 1024 + the similarity in thousandths (0 … 1000); 0: no name similar.
 */
type NameMatch = number;
const NAME_POSITION_STEP = 1024;
const nameMatch = (sim: number, position: number): NameMatch =>
  (position + 1) * NAME_POSITION_STEP + Math.round(sim * 1000);
/** The similarity of a name match, rounded to 3 decimals (the same number as round3 gives). */
const matchSimilarity = (m: NameMatch): number => (m % NAME_POSITION_STEP) / 1000;
/** Which of the item's names gave a name match (-1: none above 0). */
const matchPosition = (m: NameMatch): number => Math.floor(m / NAME_POSITION_STEP) - 1;

/** Compares the line being scored with an item's names (the index: an item position; the naive scorer: an item). */
interface NameSource<T> {
  nameMatch(item: T): NameMatch;
}

/** One pair's score as scoreInto leaves it (a caller reuses one: no object per pair on the engine's path). */
interface PairScore {
  /** The log-odds; confidenceOf(z) is the confidence. */
  z: number;
  diff: number;
  tol: number;
  dateScore: number;
  /** -1: not computed (the rest was decisive). */
  nameSim: number;
  /** Position of the matched name in item.names, -1: none. */
  nameIndex: number;
}

const pairScore = (): PairScore => ({ z: 0, diff: 0, tol: 0, dateScore: 0, nameSim: -1, nameIndex: -1 });

/**
 * The score of one pair, the only place it is computed (the engine's candidates and the naive scorer both call
 * it): the evidence of everything but the name (baseZ), then, unless that is already decisive (z ≥ DECISIVE_Z) or
 * the pair needs a name, the name's. `requireName`: a stage-3 candidate (close amount, no reference) is dropped
 * unless its name similarity reaches the name bar. `days`: line day − item day. Fills `out`; returns false for a
 * dropped pair.
 */
function scoreInto<T>(
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
): boolean {
  const diff = amountDiff(lineAbs, amount);
  const tol = amountTolerance(amount);
  const ds = dateScoreOf(days, type);
  let z = baseZ(refKind, diff, tol, ds, history);
  let nameSim = -1;
  let nameIndex = -1;
  if (z < DECISIVE_Z || requireName) {
    const match = names.nameMatch(item);
    nameSim = matchSimilarity(match);
    if (requireName && refKind === null && nameSim < WEIGHTS.nameMin) return false;
    z += nameEvidence(nameSim);
    nameIndex = matchPosition(match);
  }
  out.z = z;
  out.diff = diff;
  out.tol = tol;
  out.dateScore = ds;
  out.nameSim = nameSim;
  out.nameIndex = nameIndex;
  return true;
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

export function signalsOf(s: Scored): MatchSignals {
  return {
    reference: s.refKind ? { kind: s.refKind, value: s.refValue } : null,
    amount: {
      kind: s.diff === 0 ? 'exact' : s.diff <= s.tol ? 'within_tolerance' : 'different',
      differenceOre: s.diff,
      toleranceOre: s.tol,
    },
    date: { days: s.days, relativeTo: s.item.type === 'bill' ? 'due_date' : 'date', score: s.dateScore },
    name: s.nameSim > 0 ? { similarity: s.nameSim, matched: s.nameMatched } : null,
    history: s.history ? { approved: s.history.approved, rejected: s.history.rejected } : null,
  };
}

/** The scored pair of a candidate kept as plain numbers (refKind as 0/1/2; refValue follows from the item). */
function scoredFrom(
  line: MatchLine,
  item: MatchItem,
  z: number,
  ref: number,
  nameSim: number,
  nameIndex: number,
  history: CounterpartyHistory | null,
  key: string,
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
    confidence: confidenceOf(s.z),
    why: whyText(signals),
    signals,
    counterpartyKey: s.key,
    scoreVersion: SCORE_VERSION,
  };
}

/* ---- The index ---- */

/**
 * Per item, one cache line of numbers (most lines touch a few items at random: one miss each, not one per array).
 */
const STRIDE = 8;
const D_AMOUNT = 0;
const D_DAY = 1;
const D_FLAGS = 2;
/** Serial of the line that last looked at the item (dedupes candidates without a Set per line). */
const D_SEEN = 3;
/** Next item with the same amount and direction / the same OCR key (-1: none). */
const D_NEXT_AMOUNT = 4;
const D_NEXT_OCR = 5;
/** The item's names: ids[data[D_NAMES]] … ids[data[D_NAMES of the next item]] (a last row closes the list). */
const D_NAMES = 6;
/** The item's OCR key (ocrKey; set for items with an OCR number). */
const D_OCR_KEY = 7;

/**
 * Open-addressing table: key → first item of a chain (the chains run through the item data). A slot is two int32s,
 * a 32-bit tag of the key and the chain's first item (-1: empty); the key itself is read back from the keys the
 * caller keeps per item (keys[i · stride + offset]) when the tag matches.
 */
class ChainTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    capacity: number,
    /** Item i's key: keys[i · stride + offset]. */
    private readonly keys: Float64Array,
    private readonly stride: number,
    private readonly offset: number,
    /** Item i's successor in its chain: data[i · STRIDE + link] (item data) or links[i]. */
    private readonly links: Float64Array,
    private readonly linkStride: number,
    private readonly link: number,
  ) {
    let size = 16;
    while (size < capacity * 2) size <<= 1;
    this.slots = new Int32Array(size * 2).fill(-1);
    this.mask = size - 1;
  }

  private static tag(key: number): number {
    const h = Math.imul((key | 0) ^ ((key / 4294967296) | 0), 0x9e3779b1);
    return h ^ (h >>> 15);
  }

  add(key: number, i: number): void {
    const slots = this.slots;
    const tag = ChainTable.tag(key);
    let s = tag & this.mask;
    for (;;) {
      const head = slots[2 * s + 1];
      if (head < 0) {
        slots[2 * s] = tag;
        slots[2 * s + 1] = i;
        this.links[i * this.linkStride + this.link] = -1;
        return;
      }
      if (slots[2 * s] === tag && this.keys[head * this.stride + this.offset] === key) {
        this.links[i * this.linkStride + this.link] = head;
        slots[2 * s + 1] = i;
        return;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** The first item of the key's chain, -1 when none. */
  first(key: number): number {
    const slots = this.slots;
    const tag = ChainTable.tag(key);
    let s = tag & this.mask;
    for (;;) {
      const head = slots[2 * s + 1];
      if (head < 0) return -1;
      if (slots[2 * s] === tag && this.keys[head * this.stride + this.offset] === key) return head;
      s = (s + 1) & this.mask;
    }
  }
}

/**
 * The OCR index key of s[start, end) without the characters `skip` accepts. Digits only and at most 14 of them
 * (nearly every OCR number): the number · 32 + its length — exact, so equal keys are equal OCR numbers and a hit
 * needs no check; otherwise −1 − a 32-bit hash of the characters (a hit is checked character by character).
 */
function ocrKey(s: string, start: number, end: number, skip: (c: number) => boolean): number {
  let value = 0;
  let count = 0;
  for (let j = start; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++count > 14) return hashedOcrKey(s, start, end, skip);
    } else if (!skip(c)) return hashedOcrKey(s, start, end, skip);
  }
  return value * 32 + count;
}

function hashedOcrKey(s: string, start: number, end: number, skip: (c: number) => boolean): number {
  let h = HASH_SEED;
  for (let j = start; j < end; j++) {
    const c = s.charCodeAt(j);
    if ((c >= 48 && c <= 57) || !skip(c)) h = hashStep(h, c);
  }
  return -1 - (h >>> 0);
}

/** a[aStart, aEnd) and b (whole) are equal once the characters `skip` accepts are dropped from both. */
function sameFiltered(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  skip: (c: number) => boolean,
): boolean {
  let j = 0;
  const bEnd = b.length;
  for (let i = aStart; i < aEnd; i++) {
    const c = a.charCodeAt(i);
    if (skip(c)) continue;
    while (j < bEnd && skip(b.charCodeAt(j))) j++;
    if (j >= bEnd || b.charCodeAt(j) !== c) return false;
    j++;
  }
  while (j < bEnd && skip(b.charCodeAt(j))) j++;
  return j === bEnd;
}

const isBlank = (c: number): boolean => c === 32;

/** Distinct item names with integer ids: features, word-prefix blocks, and per name its items sorted by amount. */
interface NameIndex {
  features: NameFeatures[];
  /** Item names by id, item after item (each item's range starts at its D_NAMES, ends at the next one's). */
  ids: Int32Array;
  /** Items per name id, sorted by amount: items[itemOffsets[id] … itemOffsets[id + 1]). */
  itemOffsets: Int32Array;
  items: Int32Array;
  /** The amounts of `items`, position by position. */
  amounts: Float64Array;
  /** Word prefix → name ids. */
  byPrefix: Map<string, number[]>;
  /** Line that last visited a name (stage 3). */
  visited: Int32Array;
}

/** A name's features (line side and item side) and, for stage 3, its name blocks. */
interface LineName extends NameFeatures {
  blocks: number[][] | null;
  /** One of the blocks has at most MAX_BLOCK_NAMES names. */
  selective: boolean;
  /**
   * Stage 3 for a line with only this name: the names of its blocks similar enough (≥ 0.5), in visiting order —
   * similarPool[similarFrom … similarFrom + similarCount) (-1: not yet known).
   */
  similarFrom: number;
  similarCount: number;
}

export class CandidateIndex implements NameSource<number> {
  private readonly items: readonly MatchItem[];
  /** STRIDE numbers per item (D_…). */
  private readonly data: Float64Array;
  /** Serial of the batch assignment that gave an item to a line. */
  private readonly taken: Int32Array;
  private readonly amountIn: ChainTable;
  private readonly amountOut: ChainTable;
  /** OCR key (ocrKey: the number itself up to 14 digits, else a hash checked character by character) → bills. */
  private readonly byOcr: ChainTable;
  /** Hash of the normalised invoice number (3+ characters) → items (verified on a hit); chains in invoiceNext. */
  private readonly byInvoice: ChainTable;
  private readonly invoiceNext: Float64Array;
  /** Normalised invoice numbers, filled when first compared. */
  private readonly invoiceNorm: (string | undefined)[] = [];
  private readonly names: NameIndex;
  private readonly lineNameCache = new Map<string, LineName>();
  private readonly byNorm = new Map<string, LineName>();
  private serial = 0;
  /** A batch's table lookups done ahead, by line position: the exact-amount chain, the reference's OCR key/chain. */
  private aheadAmountHead = new Int32Array(0);
  private aheadRefKey = new Float64Array(0);
  private aheadRefHead = new Int32Array(0);

  // The line being ranked.
  private line!: MatchLine;
  private context: MatchContext = {};
  private lineDay = 0;
  private lineAbs = 0;
  private lineOut = 0;
  private lineKey: string | null = null;
  private lineNamesReady = false;
  /** The line's names with letters: lineNameList[0 … lineNameCount) (a fixed array: no allocation per line). */
  private readonly lineNameList: LineName[] = [];
  private lineNameCount = 0;
  private best = -Infinity;
  /** The pair being scored (scoreInto's output, reused). */
  private readonly score = pairScore();

  // Its candidates (reused arrays, grown on demand).
  private count = 0;
  private cItem = new Int32Array(16);
  private cZ = new Float64Array(16);
  private cSim = new Float64Array(16);
  private cName = new Int32Array(16);
  private cRef = new Uint8Array(16);
  private readonly cHistory: (CounterpartyHistory | null)[] = [];
  /** Scratch for stage 3: similar names of the line. */
  private similar = new Int32Array(64);
  /** The similar names of single-name lines, kept per LineName (similarFrom, similarCount). */
  private similarPool = new Int32Array(256);
  private similarPoolSize = 0;

  constructor(items: readonly MatchItem[]) {
    // One pass over the item objects (the numbers, the OCR hash, the name ids); the tables are then built from
    // the numbers alone.
    const n = items.length;
    this.items = items;
    // one row per item and a last one (it closes the last item's names)
    const data = new Float64Array((n + 1) * STRIDE);
    this.data = data;
    this.taken = new Int32Array(n);
    const invoiceKeys = new Float64Array(n);
    let invoices = 0;
    const nameIds = new Map<string, number>();
    const features: LineName[] = [];
    const perName: number[] = [];
    let ids = new Int32Array(n + 16);
    let k = 0;
    let outs = 0;
    let ocrs = 0;
    for (let i = 0; i < n; i++) {
      const item = items[i];
      const out = item.direction === 'out';
      const d = i * STRIDE;
      data[d + D_AMOUNT] = item.amount;
      data[d + D_DAY] = dayNumber(item.date);
      data[d + D_FLAGS] = (out ? OUT : 0) | (item.type === 'bill' ? BILL : 0);
      if (out) outs++;
      const ocr = item.ocr;
      if (ocr) {
        data[d + D_OCR_KEY] = ocrKey(ocr, 0, ocr.length, isRefSeparator);
        data[d + D_FLAGS] += HAS_OCR;
        ocrs++;
      }
      const inv = item.invoiceNumber;
      const invoiceKey = inv ? this.invoiceKeyOf(inv, i) : NaN;
      invoiceKeys[i] = invoiceKey;
      if (invoiceKey === invoiceKey) invoices++;
      data[d + D_NAMES] = k;
      const names = item.names;
      for (let j = 0; j < names.length; j++) {
        const raw = names[j];
        let id = nameIds.get(raw);
        if (id === undefined) {
          id = features.length;
          nameIds.set(raw, id);
          features.push(this.lineName(raw));
          perName.push(0);
        }
        if (k === ids.length) {
          const grown = new Int32Array(2 * k);
          grown.set(ids);
          ids = grown;
        }
        ids[k++] = id;
        perName[id]++;
      }
    }
    this.amountIn = new ChainTable(n - outs, data, STRIDE, D_AMOUNT, data, STRIDE, D_NEXT_AMOUNT);
    this.amountOut = new ChainTable(outs, data, STRIDE, D_AMOUNT, data, STRIDE, D_NEXT_AMOUNT);
    data[n * STRIDE + D_NAMES] = k;
    this.byOcr = new ChainTable(ocrs, data, STRIDE, D_OCR_KEY, data, STRIDE, D_NEXT_OCR);
    this.invoiceNext = new Float64Array(n);
    this.byInvoice = new ChainTable(invoices, invoiceKeys, 1, 0, this.invoiceNext, 1, 0);
    for (let i = 0; i < n; i++) {
      const invoiceKey = invoiceKeys[i];
      if (invoiceKey === invoiceKey) this.byInvoice.add(invoiceKey, i);
      const d = i * STRIDE;
      const flags = data[d + D_FLAGS];
      (flags & OUT ? this.amountOut : this.amountIn).add(data[d + D_AMOUNT], i);
      if (flags & HAS_OCR) this.byOcr.add(data[d + D_OCR_KEY], i);
      else data[d + D_NEXT_OCR] = -1;
    }
    this.names = this.nameIndex(features, perName, ids, k);
  }

  /**
   * The invoice-number index key of item i: a hash of the normalised number (computed on the characters for plain
   * ASCII, else on normalizeRef's result, kept for the checks); NaN when it is shorter than 3 characters.
   */
  private invoiceKeyOf(inv: string, i: number): number {
    let h = HASH_SEED;
    let length = 0;
    for (let j = 0; j < inv.length; j++) {
      let c = inv.charCodeAt(j);
      if (c > 127) {
        const norm = normalizeRef(inv);
        this.invoiceNorm[i] = norm;
        h = HASH_SEED;
        for (let k = 0; k < norm.length; k++) h = hashStep(h, norm.charCodeAt(k));
        return norm.length >= 3 ? h : NaN;
      }
      if (c === 45 || c === 46 || c === 32 || (c >= 9 && c <= 13)) continue;
      if (c >= 97 && c <= 122) c -= 32;
      h = hashStep(h, c);
      length++;
    }
    return length >= 3 ? h : NaN;
  }

  get size(): number {
    return this.items.length;
  }

  /** Ranked suggestions for one line (best first), at most `limit` (5), none below `floor` (0.2). */
  suggest(line: MatchLine, context: MatchContext = {}, options: SuggestOptions = {}): Suggestion[] {
    const { limit = 5, floor = 0.2, explain = true } = options;
    return this.rank(line, context, limit, floor).map((s) => toSuggestion(s, explain));
  }

  /** The scored candidates of a line, best first (plain numbers; `toSuggestion` makes them presentable). */
  rank(line: MatchLine, context: MatchContext, limit: number, floor: number): Scored[] {
    const count = this.collect(line, context);
    const order: number[] = [];
    for (let k = 0; k < count; k++) order.push(k);
    order.sort((a, b) => (this.before(a, b) ? -1 : 1));
    const out: Scored[] = [];
    for (let n = 0; n < count && n < limit; n++) {
      const k = order[n];
      const confidence = confidenceOf(this.cZ[k]);
      if (confidence < floor) break;
      const item = this.items[this.cItem[k]];
      const s = scoredFrom(
        line,
        item,
        this.cZ[k],
        this.cRef[k],
        this.cSim[k],
        this.cName[k],
        this.cHistory[k],
        item.counterpartyKey ?? this.nameKeyOf(line),
      );
      s.confidence = confidence;
      out.push(s);
    }
    return out;
  }

  /** Candidate a ranks before b: higher z, then the smaller id. */
  private before(a: number, b: number): boolean {
    const za = this.cZ[a];
    const zb = this.cZ[b];
    return za > zb || (za === zb && this.items[this.cItem[a]].id < this.items[this.cItem[b]].id);
  }

  /** counterpartyKeyFor(line, null), from the cached normalised name. */
  private nameKeyOf(line: MatchLine): string {
    return `name:${this.lineName(line.counterpartyName || line.text).norm || '-'}`;
  }

  /**
   * Every candidate of a line, scored into the candidate arrays (stages 1–3, see the top); returns their count.
   * The line's state lives in the index's fields: not reentrant (a context's history lookup must not rank).
   * `pre`: the line's position in a batch whose table lookups were done ahead (see assign), else -1.
   */
  private collect(line: MatchLine, context: MatchContext, pre = -1): number {
    this.count = 0;
    if (line.amount === 0) return 0;
    const serial = ++this.serial;
    this.line = line;
    this.context = context;
    this.lineDay = dayNumber(line.date);
    this.lineAbs = Math.abs(line.amount);
    this.lineOut = line.amount < 0 ? OUT : 0;
    this.lineKey = null;
    this.lineNamesReady = false;
    this.best = -Infinity;

    // Stage 1: OCR numbers the line carries: its reference, and digit runs of 5+ in its text (/\d[\d ]{3,}\d/).
    const reference = line.reference;
    if (reference) {
      if (pre >= 0)
        this.ocrChain(
          this.aheadRefKey[pre],
          this.aheadRefHead[pre],
          reference,
          0,
          reference.length,
          isRefSeparator,
          serial,
        );
      else this.ocrHits(reference, 0, reference.length, isRefSeparator, serial);
    }
    const text = line.text;
    let hasDigit = false;
    for (let i = 0, n = text.length; i < n; i++) {
      if (!isDigit(text.charCodeAt(i))) continue;
      hasDigit = true;
      let last = i;
      let j = i + 1;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (isDigit(c)) last = j;
        else if (c !== 32) break;
      }
      if (last - i >= 4) this.ocrHits(text, i, last + 1, isBlank, serial);
      i = j - 1;
    }

    // Stage 2: the exact-amount bucket, inside the date window.
    const data = this.data;
    for (
      let i =
        pre >= 0
          ? this.aheadAmountHead[pre]
          : (this.lineOut ? this.amountOut : this.amountIn).first(this.lineAbs);
      i >= 0;
      i = data[i * STRIDE + D_NEXT_AMOUNT]
    )
      if (this.inWindow(i)) this.consider(i, REF_NONE, false, serial);

    // Stage 3, only while nothing is convincing: invoice numbers in the text; close amounts backed by the name.
    if (this.best < CONVINCING_Z) {
      if (hasDigit || reference) {
        this.invoiceHits(text, serial);
        if (reference) this.invoiceHits(reference, serial);
      }
      this.closeAmountsByName(serial);
    }
    return this.count;
  }

  private inWindow(i: number): boolean {
    const d = i * STRIDE;
    const days = this.lineDay - this.data[d + D_DAY];
    const w = this.data[d + D_FLAGS] & BILL ? BILL_WINDOW : TX_WINDOW;
    return days <= w.after && days >= -w.before;
  }

  /** Bills whose OCR digits equal s[start, end) without the characters `skip` accepts. */
  private ocrHits(s: string, start: number, end: number, skip: (c: number) => boolean, serial: number): void {
    const key = ocrKey(s, start, end, skip);
    this.ocrChain(key, this.byOcr.first(key), s, start, end, skip, serial);
  }

  /** The bills of an OCR key's chain (from `first`) for the token s[start, end). */
  private ocrChain(
    key: number,
    first: number,
    s: string,
    start: number,
    end: number,
    skip: (c: number) => boolean,
    serial: number,
  ): void {
    const data = this.data;
    for (let i = first; i >= 0; i = data[i * STRIDE + D_NEXT_OCR]) {
      // a hashed key: the item's OCR with its separators dropped (digitsOf) against the token
      if (
        key >= 0 ||
        (data[i * STRIDE + D_SEEN] !== serial && this.sameOcr(s, start, end, skip, this.items[i].ocr!))
      )
        this.consider(i, REF_OCR, false, serial);
    }
  }

  private sameOcr(s: string, start: number, end: number, skip: (c: number) => boolean, ocr: string): boolean {
    if (skip === isRefSeparator) return sameFiltered(s, start, end, ocr, isRefSeparator);
    // a text run (digits and blanks) against the OCR: blanks out of the run, separators out of the OCR
    let j = 0;
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 32) continue;
      while (j < ocr.length && isRefSeparator(ocr.charCodeAt(j))) j++;
      if (j >= ocr.length || ocr.charCodeAt(j) !== c) return false;
      j++;
    }
    while (j < ocr.length && isRefSeparator(ocr.charCodeAt(j))) j++;
    return j === ocr.length;
  }

  /** Scores item i for the current line (once per line) and keeps it unless dropped. */
  private consider(i: number, ref: number, requireName: boolean, serial: number): void {
    const data = this.data;
    const d = i * STRIDE;
    const flags = data[d + D_FLAGS];
    if (data[d + D_SEEN] === serial || (flags & OUT) !== this.lineOut) return;
    data[d + D_SEEN] = serial;
    const context = this.context;
    if (context.excluded !== undefined && context.excluded.has(this.items[i].id)) return;
    const history = context.history ? knownHistory(context, () => this.keyOf(this.items[i])) : null;
    const score = this.score;
    if (
      !scoreInto(
        score,
        REF_KINDS[ref],
        this.lineAbs,
        data[d + D_AMOUNT],
        this.lineDay - data[d + D_DAY],
        flags & BILL ? 'bill' : 'transaction',
        history,
        requireName,
        this,
        i,
      )
    )
      return;
    const z = score.z;
    const k = this.count;
    if (k === this.cItem.length) this.grow();
    this.cItem[k] = i;
    this.cZ[k] = z;
    this.cSim[k] = score.nameSim;
    this.cName[k] = score.nameIndex;
    this.cRef[k] = ref;
    this.cHistory[k] = history;
    this.count = k + 1;
    if (z > this.best) this.best = z;
  }

  private keyOf(item: MatchItem): string {
    return item.counterpartyKey ?? (this.lineKey ??= this.nameKeyOf(this.line));
  }

  private grow(): void {
    const size = this.cItem.length * 2;
    const cItem = new Int32Array(size);
    cItem.set(this.cItem);
    this.cItem = cItem;
    const cZ = new Float64Array(size);
    cZ.set(this.cZ);
    this.cZ = cZ;
    const cSim = new Float64Array(size);
    cSim.set(this.cSim);
    this.cSim = cSim;
    const cName = new Int32Array(size);
    cName.set(this.cName);
    this.cName = cName;
    const cRef = new Uint8Array(size);
    cRef.set(this.cRef);
    this.cRef = cRef;
  }

  /** The line's names with letters (counterparty name, then text), features cached per distinct string. */
  private lineNames(): number {
    if (!this.lineNamesReady) {
      this.lineNamesReady = true;
      let count = 0;
      const { counterpartyName, text } = this.line;
      if (counterpartyName) {
        const e = this.lineName(counterpartyName);
        if (e.grams.length) this.lineNameList[count++] = e;
      }
      if (text && text !== counterpartyName) {
        const e = this.lineName(text);
        if (e.grams.length) this.lineNameList[count++] = e;
      }
      this.lineNameCount = count;
    }
    return this.lineNameCount;
  }

  private lineName(raw: string): LineName {
    let e = this.lineNameCache.get(raw);
    if (!e) {
      // Different texts often normalise alike ("KORTKÖP 0412 ICA NÄRA", "BG 5050-1055 VATTENFALL AB"): the
      // features, blocks and similar names are shared by the normalised name.
      const norm = normalizeName(raw);
      e = this.byNorm.get(norm);
      if (!e) {
        e = {
          norm,
          grams: trigramsOf(norm),
          blocks: null,
          selective: false,
          similarFrom: -1,
          similarCount: 0,
        };
        this.byNorm.set(norm, e);
      }
      this.lineNameCache.set(raw, e);
    }
    return e;
  }

  /** bestName of the current line against item i's names (the index is the NameSource of its own candidates). */
  nameMatch(i: number): NameMatch {
    const lineCount = this.lineNames();
    const lineF = this.lineNameList;
    const names = this.names;
    const features = names.features;
    const ids = names.ids;
    const from = this.data[i * STRIDE + D_NAMES];
    const to = this.data[(i + 1) * STRIDE + D_NAMES];
    let sim = 0;
    let idx = -1;
    for (let a = 0; a < lineCount; a++) {
      const f = lineF[a];
      for (let k = from; k < to; k++) {
        const s = gramSimilarity(f, features[ids[k]]);
        if (s > sim) {
          sim = s;
          idx = k - from;
        }
      }
    }
    return nameMatch(sim, idx);
  }

  /** Stage 3: the invoice numbers among the tokens of `s` (/[A-Za-z0-9][A-Za-z0-9-]{2,}/ with a digit). */
  private invoiceHits(s: string, serial: number): void {
    const n = s.length;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (!isWordChar(c)) continue;
      // the maximal run of [A-Za-z0-9-] from the first letter/digit: one token when 3+ long and with a digit
      let digit = false;
      let h = HASH_SEED;
      let j = i;
      for (; j < n; j++) {
        c = s.charCodeAt(j);
        if (c === 45) continue;
        if (!isWordChar(c)) break;
        if (c <= 57) digit = true;
        h = hashStep(h, c >= 97 ? c - 32 : c);
      }
      if (j - i >= 3 && digit) {
        const index = this.byInvoice;
        const next = this.invoiceNext;
        for (let p = index.first(h); p >= 0; p = next[p])
          if (this.data[p * STRIDE + D_SEEN] !== serial && this.sameInvoice(s, i, j, p))
            this.consider(p, REF_INVOICE, false, serial);
      }
      i = j;
    }
  }

  /** The token s[start, end) (dashes dropped, upper case) equals item p's normalised invoice number. */
  private sameInvoice(s: string, start: number, end: number, p: number): boolean {
    const norm = (this.invoiceNorm[p] ??= normalizeRef(this.items[p].invoiceNumber!));
    let k = 0;
    for (let j = start; j < end; j++) {
      let c = s.charCodeAt(j);
      if (c === 45) continue;
      if (c >= 97) c -= 32;
      if (k >= norm.length || norm.charCodeAt(k) !== c) return false;
      k++;
    }
    return k === norm.length;
  }

  /**
   * Items whose name shares a word prefix with the line's and is similar enough (≥ 0.5, compared once per
   * distinct name), within the amount tolerance and the date window.
   */
  private closeAmountsByName(serial: number): void {
    const lineCount = this.lineNames();
    if (!lineCount) return;
    const names = this.names;
    // The similar names depend on the line's names only: kept per name when the line has just one.
    let similar: Int32Array;
    let from = 0;
    let count: number;
    const only = lineCount === 1 ? this.lineNameList[0] : null;
    if (only && only.similarFrom >= 0) {
      similar = this.similarPool;
      from = only.similarFrom;
      count = only.similarCount;
    } else {
      count = this.similarNames(names, lineCount, serial);
      similar = this.similar;
      if (only) {
        only.similarFrom = this.keepSimilar(count);
        only.similarCount = count;
      }
    }
    const tol = amountTolerance(this.lineAbs);
    const min = this.lineAbs - tol;
    const max = this.lineAbs + tol;
    const { itemOffsets, items, amounts } = names;
    for (let s = from; s < from + count; s++) {
      const id = similar[s];
      let lo = itemOffsets[id];
      const end = itemOffsets[id + 1];
      if (end - lo > SCAN_LIMIT) {
        // a binary search for the range
        let hi = end;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (amounts[mid] < min) lo = mid + 1;
          else hi = mid;
        }
        for (let k = lo; k < end && amounts[k] <= max; k++) {
          const i = items[k];
          if (this.inWindow(i)) this.consider(i, REF_NONE, true, serial);
        }
      } else {
        for (let k = lo; k < end; k++) {
          const amount = amounts[k];
          if (amount >= min && amount <= max && this.inWindow(items[k]))
            this.consider(items[k], REF_NONE, true, serial);
        }
      }
    }
  }

  /**
   * The item names in the line's name blocks similar enough to one of its names, into `this.similar`; returns
   * their count. Block purging: a prefix shared by many names ("ener" of every "… Energi") says little; it is
   * used only when the line has no more selective block.
   */
  private similarNames(names: NameIndex, lineCount: number, serial: number): number {
    const lineF = this.lineNameList;
    let selective = false;
    for (let a = 0; a < lineCount; a++) {
      const e = lineF[a];
      if (!e.blocks) {
        e.blocks = [];
        for (const prefix of prefixesOf(e)) {
          const block = names.byPrefix.get(prefix);
          if (block) {
            e.blocks.push(block);
            if (block.length <= MAX_BLOCK_NAMES) e.selective = true;
          }
        }
      }
      if (e.selective) selective = true;
    }
    const { visited, features } = names;
    let count = 0;
    for (let a = 0; a < lineCount; a++) {
      for (const block of lineF[a].blocks!) {
        if (selective && block.length > MAX_BLOCK_NAMES) continue;
        for (let b = 0; b < block.length; b++) {
          const id = block[b];
          if (visited[id] === serial) continue;
          visited[id] = serial;
          const nameF = features[id];
          let similar = false;
          for (let l = 0; l < lineCount && !similar; l++)
            similar = gramSimilarityReaches(lineF[l], nameF, WEIGHTS.nameMin);
          if (!similar) continue;
          if (count === this.similar.length) {
            const grown = new Int32Array(count * 2);
            grown.set(this.similar);
            this.similar = grown;
          }
          this.similar[count++] = id;
        }
      }
    }
    return count;
  }

  /** Copies the scratch's `count` similar names to the pool; returns where they start. */
  private keepSimilar(count: number): number {
    const at = this.similarPoolSize;
    if (at + count > this.similarPool.length) {
      const grown = new Int32Array(Math.max(2 * this.similarPool.length, at + count));
      grown.set(this.similarPool);
      this.similarPool = grown;
    }
    for (let k = 0; k < count; k++) this.similarPool[at + k] = this.similar[k];
    this.similarPoolSize = at + count;
    return at;
  }

  /**
   * The items' positions sorted by amount (stable): a radix sort on 11-bit digits when the amounts are whole öre
   * below 2^33 (always, in practice), else a comparison sort.
   */
  private amountOrder(): Int32Array {
    const n = this.items.length;
    let order = new Int32Array(n);
    let max = 0;
    let whole = true;
    for (let i = 0; i < n; i++) {
      order[i] = i;
      const amount = this.amountOf(i);
      if (!(amount >= 0 && amount < 8_589_934_592 && Math.floor(amount) === amount)) whole = false;
      else if (amount > max) max = amount;
    }
    if (!whole) {
      const sorted = Array.from(order).sort((a, b) => this.amountOf(a) - this.amountOf(b) || a - b);
      return Int32Array.from(sorted);
    }
    let spare = new Int32Array(n);
    const counts = new Int32Array(2048);
    for (let scale = 1; scale <= max; scale *= 2048) {
      counts.fill(0);
      for (let k = 0; k < n; k++) counts[(this.amountOf(order[k]) / scale) & 2047]++;
      let sum = 0;
      for (let d = 0; d < 2048; d++) {
        const c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (let k = 0; k < n; k++) {
        const i = order[k];
        spare[counts[(this.amountOf(i) / scale) & 2047]++] = i;
      }
      const swap = order;
      order = spare;
      spare = swap;
    }
    return order;
  }

  private amountOf(i: number): number {
    return this.data[i * STRIDE + D_AMOUNT];
  }

  /** The name index from the item names' ids (item after item) and the number of items per name. */
  private nameIndex(features: LineName[], perName: number[], ids: Int32Array, total: number): NameIndex {
    const n = this.items.length;
    const data = this.data;
    const itemOffsets = new Int32Array(features.length + 1);
    for (let id = 0; id < features.length; id++) itemOffsets[id + 1] = itemOffsets[id] + perName[id];
    const fill = itemOffsets.slice(0, features.length);
    const items = new Int32Array(total);
    const amounts = new Float64Array(total);
    // items in amount order: every name's list comes out sorted by amount
    const order = this.amountOrder();
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const amount = data[i * STRIDE + D_AMOUNT];
      for (let p = data[i * STRIDE + D_NAMES], end = data[(i + 1) * STRIDE + D_NAMES]; p < end; p++) {
        const at = fill[ids[p]]++;
        items[at] = i;
        amounts[at] = amount;
      }
    }
    const byPrefix = new Map<string, number[]>();
    for (let id = 0; id < features.length; id++) {
      const prefixes = prefixesOf(features[id]);
      prefixes.forEach((prefix, i) => {
        if (prefixes.indexOf(prefix) === i) push(byPrefix, prefix, id);
      });
    }
    return {
      features,
      ids,
      itemOffsets,
      items,
      amounts,
      byPrefix,
      visited: new Int32Array(features.length),
    };
  }

  /**
   * One decision per line for a batch (see assignBatch): each line's 3 best candidates at or above the floor into
   * flat arrays, the pairs at or above `bar` ordered by a counting sort on the rounded confidence (ties in input
   * order), and a suggestion object only for the pairs taken — in the order of the lines.
   */
  assign(
    lines: readonly MatchLine[],
    context: (line: MatchLine) => MatchContext,
    bar: number,
    margin: number,
    stamp: number,
  ): BatchDecisions {
    const TOP = 3;
    const n = lines.length;
    const floor = Math.max(0.2, bar - margin);
    const slots = n * TOP;
    const sItem = new Int32Array(slots);
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
    // The table lookups of all lines first, in one tight loop of independent lookups: their cache misses overlap,
    // where inside the ranking each would wait for the one before.
    const aheadAmountHead = new Int32Array(n);
    const aheadRefKey = new Float64Array(n);
    const aheadRefHead = new Int32Array(n);
    for (let li = 0; li < n; li++) {
      const line = lines[li];
      const amount = line.amount;
      aheadAmountHead[li] = (amount < 0 ? this.amountOut : this.amountIn).first(Math.abs(amount));
      const reference = line.reference;
      if (reference) {
        const key = ocrKey(reference, 0, reference.length, isRefSeparator);
        aheadRefKey[li] = key;
        aheadRefHead[li] = this.byOcr.first(key);
      }
    }
    this.aheadAmountHead = aheadAmountHead;
    this.aheadRefKey = aheadRefKey;
    this.aheadRefHead = aheadRefHead;
    for (let li = 0; li < n; li++) {
      const line = lines[li];
      const count = this.collect(line, context(line), li);
      if (!count) continue;
      // Linear top 3 by (z desc, id asc).
      let t0 = -1;
      let t1 = -1;
      let t2 = -1;
      for (let k = 0; k < count; k++) {
        if (t2 >= 0 && !this.before(k, t2)) continue;
        if (t0 < 0 || this.before(k, t0)) {
          t2 = t1;
          t1 = t0;
          t0 = k;
        } else if (t1 < 0 || this.before(k, t1)) {
          t2 = t1;
          t1 = k;
        } else t2 = k;
      }
      let m = 0;
      for (let r = 0; r < TOP; r++) {
        const k = r === 0 ? t0 : r === 1 ? t1 : t2;
        if (k < 0) break;
        const confidence = confidenceOf(this.cZ[k]);
        if (confidence < floor) break;
        const s = li * TOP + r;
        sItem[s] = this.cItem[k];
        sConf[s] = Math.round(confidence * 10_000);
        sSim[s] = Math.round(this.cSim[k] * 1000);
        sName[s] = this.cName[k];
        sRef[s] = this.cRef[k];
        const history = this.cHistory[k];
        if (history) (sHistory ??= new Map()).set(s, history);
        m++;
        if (confidence >= bar) {
          pairSlot[pairs++] = s;
          buckets[10_000 - Math.round(confidence * 10_000) + 1]++;
        }
      }
      sCount[li] = m;
    }
    // Strongest first (confidence to 4 decimals), ties in input order: a stable counting sort.
    for (let b = 1; b < buckets.length; b++) buckets[b] += buckets[b - 1];
    const order = new Int32Array(pairs);
    for (let p = 0; p < pairs; p++) order[buckets[10_000 - sConf[pairSlot[p]]]++] = pairSlot[p];

    const decidedSlot = new Int32Array(n).fill(-1);
    let decided = 0;
    const taken = this.taken;
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
        const item = this.items[sItem[s]];
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
          item.counterpartyKey ?? this.nameKeyOf(line),
        );
        scored.confidence = sConf[s] / 10_000;
        return new LazySuggestion(scored);
      },
      (li) => this.items[sItem[decidedSlot[li]]].id,
    );
  }
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

/**
 * Auto-booking bar and uniqueness: the best suggestion counts only if no other comes within this margin — except
 * that a candidate found by its OCR number is contested only by another OCR match: an OCR number identifies one
 * bill (check digit and all), so next month's bill of the same subscription, same amount, does not hold it back.
 */
export const AUTO_BOOKING_BAR = 0.9;
export const UNIQUE_MARGIN = 0.15;

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
 * One decision per line for a whole batch, one item per line at most: all (line, suggestion) pairs at or above
 * `bar`, strongest first; a pair is taken when both its line and item are still free and no other free candidate
 * of that line (among its 3 best at or above max(0.2, bar − margin)) comes within `margin` (an OCR match is
 * contested only by another OCR match, see UNIQUE_MARGIN). Used by the bench (precision/recall) and by automatic
 * booking of a batch.
 */
let batchSerial = 0;

export function assignBatch(
  index: CandidateIndex,
  lines: readonly MatchLine[],
  context: (line: MatchLine) => MatchContext = noContext,
  bar = AUTO_BOOKING_BAR,
  margin = UNIQUE_MARGIN,
): BatchDecisions {
  return index.assign(lines, context, bar, margin, ++batchSerial);
}
