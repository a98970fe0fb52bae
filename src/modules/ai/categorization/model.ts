import { normalizeName, trigramsOf } from '../../../common/names';
import { CANONICAL_CATEGORIES, WORDS, type CanonicalCategory } from './knowledge-base';
import { normalizeMerchant, type Merchant } from './merchant';

/**
 * The categorization model (docs/ai.md "Categorization"). Pure: built from an organization's categorized
 * transactions, its categories and the built-in knowledge base; no I/O.
 *
 * Three sources of evidence, combined as a Dirichlet–multinomial (the content is the prior of the supplier's
 * history):
 *
 *   p(c) = (h_c + γ · r_c) / (H + γ)
 *
 * - `h`: how often this supplier (by id, else by canonical merchant) was booked in each category (`H` in all), plus
 *   the supplier's default category as `defaultWeight` bookings.
 * - `r`, the content: what the payment says, from
 *   - `q`, multinomial naive Bayes learned from the organization's own bookings, over the canonical merchant, the
 *     words of text and supplier (folded, payment words dropped), the merchant's character trigrams (together
 *     weighing one word) and an amount band; Laplace-smoothed, its softmax tempered (`temperature`) because naive
 *     Bayes counts correlated features as independent;
 *   - `kb`, the built-in knowledge base: a known merchant's canonical category (weight `merchantWeight`) and the
 *     dictionary words in the text (`wordWeight`), each mapped to this organization's category (mapCanonical);
 *   mixed by weight (`alpha` for q), then blended with the organization's category frequencies (`textTrust`): the
 *   content knows merchants and words, not this household's habits, so alone it never claims more than that.
 * - `γ` (`contentWeight`): the content's weight in bookings; with no history p = r, a long consistent history
 *   makes p → h_c / H.
 *
 * Only categories of the transaction's kind compete.
 */

export type Kind = 'income' | 'expense';

export interface ModelCategory {
  id: string;
  name: string;
  kind: Kind;
  parentId?: string | null;
  /** `defaultKey` of the economy's default categories (category-defaults.ts), null for one made by a person. */
  defaultKey?: string | null;
}

export interface TrainingExample {
  text: string;
  supplierId: string | null;
  supplierName: string | null;
  amount: number;
  type: Kind;
  categoryId: string;
}

export interface CategorizeQuery {
  text: string;
  supplierId?: string | null;
  supplierName?: string | null;
  amount: number;
  type: Kind;
  /** The supplier's default category (counts as `defaultWeight` bookings). */
  supplierDefaultCategoryId?: string | null;
}

export interface Reason {
  sv: string;
  en: string;
}

export interface RankedCategory {
  categoryId: string;
  name: string;
  confidence: number;
  reasons: Reason[];
}

export interface Prediction {
  merchant: Merchant;
  ranked: RankedCategory[];
}

export interface ModelParams {
  /** Weight of the content (text model + knowledge base) against the supplier's history, in bookings. */
  contentWeight: number;
  /** Weight of the learned text model in the content, against the knowledge base's weights. */
  alpha: number;
  /** Weight of a known merchant's canonical category in the content, in bookings. */
  merchantWeight: number;
  /** Weight of the dictionary words in the content, in bookings. */
  wordWeight: number;
  /** Softmax temperature of the naive Bayes log scores (> 1 flattens). */
  temperature: number;
  /** Laplace smoothing of feature counts. */
  smoothing: number;
  /** A supplier's default category counts as this many bookings. */
  defaultWeight: number;
  /** Ranked categories answered. */
  top: number;
  /** Share of the text model in its blend with the category frequencies (its ceiling without history). */
  textTrust: number;
}

/** Chosen with `npm run bench:ai-categorize` (docs/ai.md): calibrated on its held-out split. */
export const DEFAULT_PARAMS: ModelParams = {
  contentWeight: 1,
  alpha: 2,
  merchantWeight: 4,
  wordWeight: 2,
  temperature: 2,
  smoothing: 0.1,
  defaultWeight: 3,
  top: 3,
  textTrust: 0.9,
};

/** The highest confidence the model answers: nothing is certain. */
export const MAX_CONFIDENCE = 0.999;

// ---- features ----

/** Amount band: ⌊log2(kronor + 1)⌋ per direction (1 kr, 2–3 kr, …, 16 384–32 767 kr, …). */
const amountBand = (amount: number, type: Kind) => `a:${type}:${Math.floor(Math.log2(amount / 100 + 1))}`;

export function wordsOf(text: string): string[] {
  return normalizeName(text)
    .split(' ')
    .filter((w) => w.length > 1);
}

interface Features {
  merchant: Merchant;
  words: string[];
  features: string[];
  /** Each feature's weight: a merchant's trigrams share one (they repeat what its key says). */
  weights: number[];
}

function featuresOf(
  text: string,
  supplierName: string | null | undefined,
  amount: number,
  type: Kind,
): Features {
  const merchant = normalizeMerchant(supplierName || text);
  const words = [
    ...new Set([...wordsOf(text), ...(supplierName ? wordsOf(supplierName) : []), ...merchant.tokens]),
  ];
  const features: string[] = [];
  const weights: number[] = [];
  const add = (f: string, w: number) => {
    features.push(f);
    weights.push(w);
  };
  if (merchant.key) {
    add(`m:${merchant.key}`, 1);
    const grams = trigramsOf(merchant.key);
    for (const g of grams) add(`g:${g}`, 1 / grams.length);
  }
  if (merchant.channel) add(`c:${merchant.channel}`, 1);
  for (const w of words) add(`w:${w}`, 1);
  add(amountBand(amount, type), 1);
  return { merchant, words, features, weights };
}

// ---- the knowledge base against an organization's categories ----

const folded = (name: string) => normalizeName(name);

/**
 * The organization's category for each canonical category and kind (`groceries:expense` → the id of "Livsmedel"):
 * first a live category created from one of the canonical category's default keys (in their order, most specific
 * first), else one whose folded name is one of its names or synonyms (a child before its parent: the more specific).
 * No match: the knowledge base suggests nothing for that canonical category.
 */
export function mapCanonical(categories: readonly ModelCategory[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const canon of CANONICAL_CATEGORIES) {
    for (const kind of ['income', 'expense'] as const) {
      if (canon.kind !== 'any' && canon.kind !== kind) continue;
      const ofKind = categories.filter((c) => c.kind === kind);
      let found: ModelCategory | undefined;
      for (const key of canon.defaultKeys) {
        found = ofKind.find((c) => c.defaultKey === key);
        if (found) break;
      }
      if (!found) {
        const names = new Set(canon.names.map(folded));
        const matches = ofKind.filter((c) => names.has(folded(c.name)));
        found = matches.find((c) => c.parentId) ?? matches[0];
      }
      if (found) out.set(`${canon.key}:${kind}`, found.id);
    }
  }
  return out;
}

const CANON_BY_KEY = new Map<string, CanonicalCategory>(CANONICAL_CATEGORIES.map((c) => [c.key, c]));

/** Dictionary words (single and multi-word, folded) → canonical category. */
const WORD_CANON = new Map<string, string>();
for (const [category, words] of WORDS) for (const w of words) WORD_CANON.set(normalizeName(w), category);

/** The dictionary words (one or two words long) in a payment's text and supplier name. */
export function dictionaryHits(
  text: string,
  supplierName?: string | null,
): { phrase: string; canonical: string }[] {
  const out: { phrase: string; canonical: string }[] = [];
  for (const source of [text, supplierName ?? '']) {
    const words = wordsOf(source);
    for (let n = 0; n < words.length; n++) {
      for (const len of [2, 1]) {
        if (n + len > words.length) continue;
        const phrase = words.slice(n, n + len).join(' ');
        const canonical = WORD_CANON.get(phrase);
        if (canonical && !out.some((h) => h.phrase === phrase)) out.push({ phrase, canonical });
      }
    }
  }
  return out;
}

// ---- the model ----

export class CategorizationModel {
  private readonly categories: ModelCategory[];
  private readonly index = new Map<string, number>();
  private readonly counts = new Map<string, Float64Array>();
  private readonly totals: Float64Array;
  private readonly docs: Float64Array;
  private readonly docsByKind: Record<Kind, number> = { income: 0, expense: 0 };
  private readonly history = new Map<string, Float64Array>();
  private readonly canonical: Map<string, string>;
  private readonly params: ModelParams;
  private vocabulary = 0;
  /** Real (not pseudo) bookings learned. */
  readonly examples: number;

  constructor(
    categories: readonly ModelCategory[],
    examples: readonly TrainingExample[],
    params: Partial<ModelParams> = {},
  ) {
    this.params = { ...DEFAULT_PARAMS, ...params };
    this.categories = [...categories];
    this.categories.forEach((c, i) => this.index.set(c.id, i));
    const k = this.categories.length;
    this.totals = new Float64Array(k);
    this.docs = new Float64Array(k);
    this.canonical = mapCanonical(this.categories);
    let learned = 0;
    for (const e of examples) if (this.learn(e)) learned++;
    this.examples = learned;
  }

  /** Adds one booking (also what a correction is: the transaction's new category). False for an unknown category. */
  learn(e: TrainingExample): boolean {
    const c = this.index.get(e.categoryId);
    if (c === undefined || this.categories[c].kind !== e.type) return false;
    const { merchant, features, weights } = featuresOf(e.text, e.supplierName, e.amount, e.type);
    this.addDoc(c, features, weights, 1);
    this.docsByKind[e.type]++;
    if (e.supplierId) this.bump(this.history, `s:${e.supplierId}`, c, 1);
    if (merchant.key) this.bump(this.history, `m:${merchant.key}`, c, 1);
    return true;
  }

  predict(q: CategorizeQuery): Prediction {
    const { alpha, temperature, smoothing, defaultWeight, top } = this.params;
    const { merchant, words, features, weights } = featuresOf(q.text, q.supplierName, q.amount, q.type);
    const candidates: number[] = [];
    this.categories.forEach((c, i) => {
      if (c.kind === q.type) candidates.push(i);
    });
    if (!candidates.length) return { merchant, ranked: [] };

    // naive Bayes: log prior + Σ log likelihood, then a tempered softmax
    const v = Math.max(this.vocabulary, 1);
    const totalDocs = candidates.reduce((n, i) => n + this.docs[i], 0);
    const logs = candidates.map((i) => {
      let s = Math.log((this.docs[i] + 1) / (totalDocs + candidates.length));
      const denom = Math.log(this.totals[i] + smoothing * v);
      features.forEach((f, n) => {
        const row = this.counts.get(f);
        if (!row) return; // a feature never seen says nothing about any category
        s += weights[n] * (Math.log(row[i] + smoothing) - denom);
      });
      return s / temperature;
    });
    const max = Math.max(...logs);
    const exps = logs.map((l) => Math.exp(l - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    const textP = exps.map((e) => e / sum);

    // the knowledge base: the known merchant's canonical category and the dictionary words of the text
    const kb = candidates.map(() => 0);
    let kbWeight = 0;
    const slot = new Map(candidates.map((i, j) => [i, j]));
    if (merchant.known && merchant.canonicalCategory) {
      const j = slot.get(this.canonicalIndex(merchant.canonicalCategory, q.type) ?? -1);
      if (j !== undefined) {
        kb[j] += this.params.merchantWeight;
        kbWeight += this.params.merchantWeight;
      }
    }
    const hitSlots = dictionaryHits(q.text, q.supplierName).flatMap((hit) => {
      const j = slot.get(this.canonicalIndex(hit.canonical, q.type) ?? -1);
      return j === undefined ? [] : [j];
    });
    for (const j of hitSlots) kb[j] += this.params.wordWeight / hitSlots.length;
    if (hitSlots.length) kbWeight += this.params.wordWeight;

    // the content: text model and knowledge base by weight, blended with the category frequencies
    const trust = this.params.textTrust;
    const gamma = this.params.contentWeight;
    const content = candidates.map((i, j) => {
      const r = (alpha * textP[j] + kb[j]) / (alpha + kbWeight);
      return trust * r + (1 - trust) * ((this.docs[i] + 1) / (totalDocs + candidates.length));
    });

    // the supplier's history (by id, else by canonical merchant) and its default category
    const hist =
      (q.supplierId ? this.history.get(`s:${q.supplierId}`) : undefined) ??
      (merchant.key ? this.history.get(`m:${merchant.key}`) : undefined);
    const h = candidates.map((i) => hist?.[i] ?? 0);
    const defaultIndex = q.supplierDefaultCategoryId
      ? this.index.get(q.supplierDefaultCategoryId)
      : undefined;
    const withDefault = h.map((n, j) => n + (candidates[j] === defaultIndex ? defaultWeight : 0));
    const H = withDefault.reduce((a, b) => a + b, 0);
    const p = candidates.map((_, j) => (withDefault[j] + gamma * content[j]) / (H + gamma));

    const order = candidates.map((_, j) => j).sort((a, b) => p[b] - p[a]);
    const historyTotal = h.reduce((a, b) => a + b, 0);
    const ranked = order.slice(0, top).map((j) => {
      const i = candidates[j];
      const category = this.categories[i];
      return {
        categoryId: category.id,
        name: category.name,
        confidence: round(Math.min(p[j], MAX_CONFIDENCE)),
        reasons: this.reasons(i, q, merchant, words, h[j], historyTotal, i === defaultIndex),
      };
    });
    return { merchant, ranked };
  }

  // ---- internals ----

  private canonicalIndex(canon: string, kind: Kind): number | undefined {
    const id = this.canonical.get(`${canon}:${kind}`);
    return id === undefined ? undefined : this.index.get(id);
  }

  private addDoc(
    c: number,
    features: readonly string[],
    weights: readonly number[],
    weight: number,
    isDoc = true,
  ): void {
    const k = this.categories.length;
    features.forEach((f, n) => {
      let row = this.counts.get(f);
      if (!row) {
        row = new Float64Array(k);
        this.counts.set(f, row);
        this.vocabulary++;
      }
      row[c] += weight * weights[n];
      this.totals[c] += weight * weights[n];
    });
    if (isDoc) this.docs[c] += 1;
  }

  private bump(map: Map<string, Float64Array>, key: string, c: number, by: number): void {
    let row = map.get(key);
    if (!row) {
      row = new Float64Array(this.categories.length);
      map.set(key, row);
    }
    row[c] += by;
  }

  private reasons(
    i: number,
    q: CategorizeQuery,
    merchant: Merchant,
    words: string[],
    booked: number,
    historyTotal: number,
    isDefault: boolean,
  ): Reason[] {
    const name = this.categories[i].name;
    const out: Reason[] = [];
    if (booked > 0) {
      out.push({
        sv: `Samma leverantör har bokförts som ${name} ${booked} av ${historyTotal} gånger`,
        en: `Same supplier was booked as ${name} ${booked} of ${historyTotal} times`,
      });
    } else if (historyTotal > 0) {
      out.push({
        sv: `Samma leverantör har bokförts ${historyTotal} gånger, aldrig som ${name}`,
        en: `Same supplier was booked ${historyTotal} times, never as ${name}`,
      });
    }
    if (isDefault) {
      out.push({
        sv: `${name} är leverantörens förvalda kategori`,
        en: `${name} is the supplier's default category`,
      });
    }
    if (merchant.known && merchant.canonicalCategory) {
      const canon = CANON_BY_KEY.get(merchant.canonicalCategory);
      if (canon && this.canonicalIndex(canon.key, q.type) === i) {
        out.push({
          sv: `${merchant.name} finns i den inbyggda kunskapsbasen som ${canon.sv}`,
          en: `${merchant.name} is in the built-in knowledge base as ${canon.en}`,
        });
      }
    }
    for (const hit of dictionaryHits(q.text, q.supplierName)) {
      if (this.canonicalIndex(hit.canonical, q.type) === i)
        out.push({ sv: `Texten innehåller '${hit.phrase}'`, en: `The text contains '${hit.phrase}'` });
    }
    // the organization's own word that points most to this category
    let best: { word: string; count: number; ratio: number } | null = null;
    for (const word of words) {
      const row = this.counts.get(`w:${word}`);
      if (!row) continue;
      const own = row[i];
      const all = row.reduce((a, b) => a + b, 0);
      if (own < 2 || own / all < 0.6) continue;
      if (!best || own / all > best.ratio) best = { word, count: own, ratio: own / all };
    }
    if (best && !out.some((r) => r.sv.includes(`'${best.word}'`))) {
      out.push({
        sv: `Ordet '${best.word}' hör oftast till ${name}`,
        en: `The word '${best.word}' mostly belongs to ${name}`,
      });
    }
    if (!out.length) {
      const kindDocs = this.docsByKind[q.type];
      out.push(
        kindDocs > 0
          ? {
              sv: `Inget säkert tecken; ${name} är en vanlig kategori för ${q.type === 'income' ? 'inkomster' : 'utgifter'} här`,
              en: `No clear sign; ${name} is a common ${q.type} category here`,
            }
          : { sv: 'Inget säkert tecken', en: 'No clear sign' },
      );
    }
    return out;
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
