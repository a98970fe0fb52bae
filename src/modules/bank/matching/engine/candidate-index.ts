/**
 * The candidate index of a batch of open items: blocking (stages 1–3, see index.ts), each candidate scored by
 * scoreInto into reusable typed arrays, and a line's ranked suggestions.
 */
import { dayNumber } from '../../common/dates';
import {
  featuresOfNormalized,
  gramSimilarity,
  gramSimilarityReaches,
  normalizeName,
} from '../../../../common/names';
import { amountTolerance, confidenceAmong, DATE_WINDOW, oddsWeight, RIVAL_GAP, WEIGHTS } from '../scoring';
import type { CounterpartyHistory, MatchItem, MatchLine, Suggestion } from '../types';
import { ChainTable } from './chain-table';
import type { MatchContext, SuggestOptions } from './inputs';
import {
  BILL,
  D_AMOUNT,
  D_DAY,
  D_FLAGS,
  D_NAMES,
  D_NEXT_AMOUNT,
  D_NEXT_OCR,
  D_OCR_KEY,
  D_SEEN,
  HAS_OCR,
  OUT,
  STRIDE,
} from './item-rows';
import { buildNameIndex, MAX_BLOCK_NAMES, prefixesOf, type LineName, type NameIndex } from './name-index';
import {
  nameMatchOf,
  pairScore,
  REF_INVOICE,
  REF_KINDS,
  REF_NONE,
  REF_OCR,
  scoreInto,
  type NameMatch,
  type NameSource,
} from './score';
import { MAX_RIVALS, NO_RIVALS, RIVAL_POOL, scoredFrom, toSuggestion, type Scored } from './suggestion';
import {
  HASH_SEED,
  hashStep,
  isBlank,
  isDigit,
  isRefSeparator,
  isWordChar,
  normalizeRef,
  isCardPurchase,
  ocrKey,
  ocrReferenceOf,
  sameFiltered,
} from './tokens';

/** Stage 3 runs only while the best candidate is below this (confidence 0.9). */
export const CONVINCING_Z = Math.log(0.9 / 0.1);
/** A name's items (sorted by amount) are scanned in full up to this many, longer lists binary-searched. */
const SCAN_LIMIT = 8;

const BILL_WINDOW = DATE_WINDOW.bill;
/** CandidateIndex.lineKinds bits. */
const KIND_CARD_KNOWN = 1;
const KIND_CARD = 2;
const KIND_OCR_REF_KNOWN = 4;
const KIND_OCR_REF = 8;
const TX_WINDOW = DATE_WINDOW.transaction;

export class CandidateIndex implements NameSource<number> {
  readonly items: readonly MatchItem[];
  /** STRIDE numbers per item (D_…). */
  private readonly data: Float64Array;
  /** Serial of the batch assignment that gave an item to a line (batch-assignment.ts). */
  readonly taken: Int32Array;
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
  /** What is known of the line (KIND_… bits: card purchase known/yes, OCR reference known/yes); 0: nothing yet. */
  private lineKinds = 0;
  /** The line being collected (or the last one) is a card purchase (isCardPurchase). */
  /**
   * Candidate k of the current line (after collect) is a transaction dated more than `days` days from the line (a
   * bill: false).
   */
  transactionApartMoreThan(k: number, days: number): boolean {
    const d = this.cItem[k] * STRIDE;
    if (this.data[d + D_FLAGS] & BILL) return false;
    const apart = this.lineDay - this.data[d + D_DAY];
    return apart > days || apart < -days;
  }

  get cardLine(): boolean {
    let kinds = this.lineKinds;
    if ((kinds & KIND_CARD_KNOWN) === 0)
      this.lineKinds = kinds |= KIND_CARD_KNOWN | (isCardPurchase(this.line) ? KIND_CARD : 0);
    return (kinds & KIND_CARD) !== 0;
  }
  /** The line's reference is an OCR number (found out only for a bill with another OCR: few lines need it). */
  private get ocrReferenceLine(): boolean {
    let kinds = this.lineKinds;
    if ((kinds & KIND_OCR_REF_KNOWN) === 0)
      this.lineKinds = kinds |= KIND_OCR_REF_KNOWN | (ocrReferenceOf(this.line) !== null ? KIND_OCR_REF : 0);
    return (kinds & KIND_OCR_REF) !== 0;
  }
  private lineKey: string | null = null;
  private lineNamesReady = false;
  /** The line's names with letters: lineNameList[0 … lineNameCount) (a fixed array: no allocation per line). */
  private readonly lineNameList: LineName[] = [];
  private lineNameCount = 0;
  private best = -Infinity;
  /** The pair being scored (scoreInto's output, reused). */
  private readonly score = pairScore();

  // Its candidates (reused arrays, grown on demand), cItem[0 … count): read by batch-assignment.ts after collect.
  private count = 0;
  cItem = new Int32Array(16);
  cZ = new Float64Array(16);
  /** round3'd name similarity, -1: not computed. */
  cSim = new Float64Array(16);
  /** Position of the matched name in item.names, -1: none. */
  cName = new Int32Array(16);
  /** REF_NONE / REF_OCR / REF_INVOICE. */
  cRef = new Uint8Array(16);
  readonly cHistory: (CounterpartyHistory | null)[] = [];
  /** Scratch for rank: the line's candidates best first. */
  private order = new Int32Array(16);
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
    this.names = buildNameIndex(data, n, features, perName, ids, k);
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

  /**
   * The scored candidates of a line, best first (plain numbers; `toSuggestion` makes them presentable), each with
   * its confidence among all the line's candidates (confidenceAmong) and its rivals (rivalsOf).
   */
  rank(line: MatchLine, context: MatchContext, limit: number, floor: number): Scored[] {
    return this.rankCollected(line, this.collect(line, context), limit, floor);
  }

  /** rank of the line just collected (collect returned `count`): its candidates are still in the arrays. */
  rankCollected(line: MatchLine, count: number, limit: number, floor: number): Scored[] {
    // the candidates best first: an insertion sort into a reused array (a line has few; no closure, no array)
    if (this.order.length < count) this.order = new Int32Array(this.cItem.length);
    const order = this.order;
    let total = 0;
    for (let k = 0; k < count; k++) {
      total += oddsWeight(this.cZ[k]);
      let j = k;
      while (j > 0 && this.before(k, order[j - 1])) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = k;
    }
    const pool = Math.min(count, RIVAL_POOL);
    const out: Scored[] = [];
    for (let n = 0; n < count && n < limit; n++) {
      const k = order[n];
      const confidence = confidenceAmong(this.cZ[k], total);
      if (confidence < floor) break;
      const item = this.items[this.cItem[k]];
      // rivalsOf over the line's best RIVAL_POOL without this one, without the intermediate arrays
      const z = this.cZ[k];
      let rivals: MatchItem[] | null = null;
      for (let r = 0; r < pool; r++) {
        const o = order[r];
        if (o === k || this.cZ[o] < z - RIVAL_GAP) continue;
        rivals ??= [];
        if (rivals.length < MAX_RIVALS) rivals.push(this.items[this.cItem[o]]);
      }
      const s = scoredFrom(
        line,
        item,
        this.cZ[k],
        this.cRef[k],
        this.cSim[k],
        this.cName[k],
        this.cHistory[k],
        item.counterpartyKey ?? this.nameKeyOf(line),
        this.cardLine,
        rivals ?? NO_RIVALS,
      );
      s.confidence = confidence;
      out.push(s);
    }
    return out;
  }

  /**
   * The table lookups of a batch's lines, done ahead in one tight loop of independent lookups: their cache misses
   * overlap, where inside the ranking each would wait for the one before. collect(line, context, position) then
   * reads them.
   */
  lookAhead(lines: readonly MatchLine[]): void {
    const n = lines.length;
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
  }

  /** Candidate a ranks before b: higher z, then the smaller id. */
  before(a: number, b: number): boolean {
    const za = this.cZ[a];
    const zb = this.cZ[b];
    return za > zb || (za === zb && this.items[this.cItem[a]].id < this.items[this.cItem[b]].id);
  }

  /** counterpartyKeyFor(line, null), from the cached normalised name. */
  nameKeyOf(line: MatchLine): string {
    return `name:${this.lineName(line.counterpartyName || line.text).norm || '-'}`;
  }

  /**
   * Every candidate of a line, scored into the candidate arrays (stages 1–3, see the top); returns their count.
   * The line's state lives in the index's fields: not reentrant (a context's history lookup must not rank).
   * `pre`: the line's position in a batch whose table lookups were done ahead (see lookAhead), else -1.
   */
  collect(line: MatchLine, context: MatchContext, pre = -1): number {
    this.count = 0;
    if (line.amount === 0) return 0;
    const serial = ++this.serial;
    this.line = line;
    this.context = context;
    this.lineDay = dayNumber(line.date);
    this.lineAbs = Math.abs(line.amount);
    this.lineOut = line.amount < 0 ? OUT : 0;
    // both found out on first need (most lines have few candidates, many none)
    this.lineKinds = 0;
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
    // score.ts knownHistory, without its closure (no allocation per candidate)
    let history: CounterpartyHistory | null = null;
    if (context.history) {
      const h = context.history(this.keyOf(this.items[i]));
      if (h !== undefined && h !== null && (h.approved > 0 || h.rejected > 0)) history = h;
    }
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
        this.cardLine,
        ref === REF_NONE && (flags & HAS_OCR) !== 0 && this.ocrReferenceLine,
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
        // a literal of one shape (a spread gives objects of varying shapes: the similarity loops go megamorphic)
        const f = featuresOfNormalized(norm);
        e = {
          norm,
          core: f.core,
          distinctive: f.distinctive,
          grams: f.grams,
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
    if (sim >= WEIGHTS.nameMismatchBelow) return nameMatchOf(sim, idx, -1, true);
    let distinctive = false;
    for (let a = 0; a < lineCount; a++) if (lineF[a].distinctive) distinctive = true;
    if (!distinctive) return nameMatchOf(sim, idx, -1, false);
    let first = -1;
    for (let k = from; k < to && first < 0; k++) if (features[ids[k]].grams.length) first = k - from;
    return nameMatchOf(sim, idx, first, distinctive);
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
}
