/**
 * Counterparty names as banks print them ("VATTENFALL AB", "GOTEBORG ENERGI", "KORTKÖP 260301 ICA MAXI") compared
 * with the names we know (supplier name and aliases). Two steps, both cheap enough for the blocking engine:
 *
 * 1. `normalizeName`: lower case; å/ä → a, ö → o, é → e, ü → u (banks often drop the dots); everything that is not a
 *    letter or digit → space; then drop tokens that say nothing about who it is: legal forms (ab, hb, kb, ek för,
 *    publ, …), payment words (bg, pg, ocr, kortköp, betalning, autogiro, swish, …) and digit-only tokens (dates,
 *    card numbers).
 * 2. `coreName`: generic words ("access", "sverige", "bank", "service", "energi", "stockholm", months, …) are dropped
 *    when a distinctive word remains — "Hi3G Access AB" and the card purchase "SL ACCESS" share only "access",
 *    which says nothing about who it is; a name made of generic words only ("Göteborg Energi") is kept whole. The
 *    policy key (`name:<normalised>`) keeps the full normalised name.
 * 3. `nameSimilarity`: character trigrams of the core names (padded with a space at both ends). The score is
 *    the larger of the Dice coefficient 2|A∩B|/(|A|+|B|) and 0.9 × the overlap coefficient |A∩B|/min(|A|,|B|) —
 *    the latter only when the shorter name has at least 4 trigrams — so "vattenfall" against the bank's
 *    "vattenfall kundservice" scores 0.9, while short coincidences ("ica" in "ica maxi" vs "ica kvantum") stay low.
 */

const FOLD: Record<string, string> = {
  å: 'a',
  ä: 'a',
  à: 'a',
  á: 'a',
  â: 'a',
  æ: 'a',
  ö: 'o',
  ø: 'o',
  ó: 'o',
  ô: 'o',
  ò: 'o',
  é: 'e',
  è: 'e',
  ê: 'e',
  ë: 'e',
  ü: 'u',
  ú: 'u',
  ù: 'u',
  û: 'u',
  í: 'i',
  ì: 'i',
  ï: 'i',
  ç: 'c',
  ñ: 'n',
  ß: 's',
};

const STOP_TOKENS = new Set([
  // legal forms
  'ab',
  'aktiebolag',
  'hb',
  'kb',
  'handelsbolag',
  'kommanditbolag',
  'ek',
  'for',
  'ekonomisk',
  'forening',
  'publ',
  'ideell',
  'inc',
  'ltd',
  'llc',
  'gmbh',
  'oy',
  'as',
  'asa',
  'aps',
  'bv',
  'sa',
  'plc',
  'co',
  // payment words
  'bg',
  'pg',
  'bankgiro',
  'plusgiro',
  'ocr',
  'kortkop',
  'kort',
  'kop',
  'betalning',
  'betaln',
  'bet',
  'autogiro',
  'ag',
  'efaktura',
  'faktura',
  'overforing',
  'overf',
  'swish',
  'till',
  'fran',
  'insattning',
  'uttag',
  'reservation',
  'ref',
]);

/**
 * Words many unrelated organizations share (after folding): little evidence of who it is, so they carry no name
 * weight while a distinctive word remains (see coreName).
 */
const GENERIC_TOKENS = new Set([
  'access',
  'sverige',
  'svenska',
  'svensk',
  'sweden',
  'swedish',
  'scandinavia',
  'skandinavien',
  'nordic',
  'nordisk',
  'nordiska',
  'norden',
  'europe',
  'international',
  'group',
  'gruppen',
  'company',
  'koncernen',
  'holding',
  'bank',
  'banken',
  'sparbank',
  'service',
  'services',
  'kundservice',
  'kundtjanst',
  'tjanster',
  'center',
  'centrum',
  'city',
  'online',
  'com',
  'se',
  'www',
  'net',
  'energi',
  'el',
  'elnat',
  'nat',
  'forsakring',
  'forsakringar',
  'skadeforsakring',
  'mobil',
  'telecom',
  'tele',
  'bredband',
  'fastigheter',
  'stockholm',
  'sthlm',
  'goteborg',
  'gbg',
  'malmo',
  'uppsala',
  'finans',
  'finance',
  'payments',
  'invest',
  'partner',
  'solutions',
  'och',
  'the',
  // what a payer types besides a name
  'kredit',
  'kreditnota',
  'aterbetalning',
  'retur',
  'inkop',
  'medlemsavgift',
  'avgift',
  'avg',
  'manad',
  'manadsavgift',
  'hyra',
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'okt',
  'nov',
  'dec',
]);

export const isGenericToken = (token: string): boolean => GENERIC_TOKENS.has(token);

/**
 * The words of a normalised name that say who it is: generic words dropped while a distinctive one remains; a name
 * of generic words only is kept whole. `distinctive`: the name has a word that is not generic.
 */
export function coreName(norm: string): { core: string; distinctive: boolean } {
  if (!norm) return { core: '', distinctive: false };
  const words = norm.split(' ');
  let generic = 0;
  for (const w of words) if (GENERIC_TOKENS.has(w)) generic++;
  if (generic === 0) return { core: norm, distinctive: true };
  if (generic === words.length) return { core: norm, distinctive: false };
  return { core: words.filter((w) => !GENERIC_TOKENS.has(w)).join(' '), distinctive: true };
}

const LETTER = /\p{L}/u;

/** Stop tokens by length, to test a token where it stands (no string built for it). */
const STOP_BY_LENGTH: string[][] = [];
for (const t of STOP_TOKENS) (STOP_BY_LENGTH[t.length] ??= []).push(t);

function isStopAt(s: string, start: number, end: number): boolean {
  const list = STOP_BY_LENGTH[end - start];
  if (!list) return false;
  for (let t = 0; t < list.length; t++) {
    const stop = list[t];
    let k = 0;
    while (k < stop.length && s.charCodeAt(start + k) === stop.charCodeAt(k)) k++;
    if (k === stop.length) return true;
  }
  return false;
}

/** The "e" of "e-faktura" / "e faktura" (the payment word, split at its dash): not a name ("e on" is). */
const isEInvoiceE = (s: string, start: number, end: number): boolean =>
  end - start === 1 && s.charCodeAt(start) === 101 && s.startsWith('faktura', end + 1);

/** The kept tokens of the name being normalised: [start, end) pairs in its lower-case form. */
let spans = new Int32Array(64);

export function normalizeName(input: string): string {
  // Fast path, for names without letters to fold: the kept tokens are spans of the lower-case string, and the
  // result is one slice of it when they are separated by single spaces (the usual case).
  const lower = input.toLowerCase();
  const n = lower.length;
  let kept = 0;
  let start = -1;
  let letters = false;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? lower.charCodeAt(i) : 32;
    if (code <= 122 && (code >= 97 || (code >= 48 && code <= 57))) {
      if (start < 0) start = i;
      if (code >= 97) letters = true;
      continue;
    }
    if (code > 127) {
      const c = lower[i];
      if (FOLD[c] !== undefined || LETTER.test(c)) return normalizeFolding(lower);
    }
    if (start >= 0) {
      // a token of digits only says nothing about who it is
      if (letters && !isStopAt(lower, start, i) && !isEInvoiceE(lower, start, i)) {
        if (2 * kept + 2 > spans.length) {
          const grown = new Int32Array(spans.length * 2);
          grown.set(spans);
          spans = grown;
        }
        spans[2 * kept] = start;
        spans[2 * kept + 1] = i;
        kept++;
      }
      start = -1;
      letters = false;
    }
  }
  if (kept === 0) return '';
  let single = true;
  for (let k = 1; k < kept && single; k++)
    single = spans[2 * k] === spans[2 * k - 1] + 1 && lower.charCodeAt(spans[2 * k - 1]) === 32;
  if (single) {
    const from = spans[0];
    const to = spans[2 * kept - 1];
    return from === 0 && to === n ? lower : lower.slice(from, to);
  }
  const parts: string[] = [];
  for (let k = 0; k < kept; k++) parts.push(lower.slice(spans[2 * k], spans[2 * k + 1]));
  return parts.join(' ');
}

/** normalizeName for a (lower-case) name with letters to fold: the tokens are built as strings. */
function normalizeFolding(lower: string): string {
  const n = lower.length;
  let out = '';
  let inToken = false;
  let letters = false;
  /** The token's text before `from` (set when a letter was folded). */
  let head = '';
  let from = 0;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? lower.charCodeAt(i) : 32;
    if (code <= 122 && (code >= 97 || (code >= 48 && code <= 57))) {
      if (!inToken) {
        inToken = true;
        from = i;
      }
      if (code >= 97) letters = true;
      continue;
    }
    if (code > 127) {
      const c = lower[i];
      const folded = FOLD[c] ?? (LETTER.test(c) ? c : '');
      if (folded) {
        head = inToken ? head + lower.slice(from, i) + folded : folded;
        inToken = true;
        letters = true;
        from = i + 1;
        continue;
      }
    }
    if (inToken) {
      if (letters) {
        const token = head ? head + lower.slice(from, i) : lower.slice(from, i);
        if (!STOP_TOKENS.has(token) && !(token === 'e' && isEInvoiceE(lower, i - 1, i)))
          out = out ? `${out} ${token}` : token;
      }
      inToken = false;
      letters = false;
      head = '';
    }
  }
  return out;
}

/** A normalised name with its core (coreName) and the core's sorted, distinct trigram codes. */
export interface NameFeatures {
  norm: string;
  /** The distinctive words (coreName): what similarity, equality and name blocks use. */
  core: string;
  /** The name has a word that is not generic (a mismatch of such a name counts against a pair). */
  distinctive: boolean;
  /** Sorted, distinct trigram codes of `core` (a plain array: cheaper to allocate than a typed one for short names). */
  grams: number[];
}

/** Scratch for the trigram codes of one name. */
let gramCodes = new Int32Array(64);

export function nameFeatures(input: string): NameFeatures {
  return featuresOfNormalized(normalizeName(input));
}

/** The features of an already normalised name. */
export function featuresOfNormalized(norm: string): NameFeatures {
  const { core, distinctive } = coreName(norm);
  return { norm, core, distinctive, grams: trigramsOf(core) };
}

/** The sorted, distinct trigram codes of a normalised name (padded with a space at both ends). */
export function trigramsOf(norm: string): number[] {
  const n = norm.length;
  if (!n) return [];
  if (gramCodes.length < n) gramCodes = new Int32Array(n * 2);
  const codes = gramCodes;
  // trigrams of ` ${norm} ` (the padding read in place), insertion-sorted: names are short
  let c0 = 32;
  let c1 = norm.charCodeAt(0) & 0x3ff;
  for (let i = 0; i < n; i++) {
    const c2 = i + 1 < n ? norm.charCodeAt(i + 1) & 0x3ff : 32;
    const code = (c0 << 20) | (c1 << 10) | c2;
    let j = i - 1;
    while (j >= 0 && codes[j] > code) {
      codes[j + 1] = codes[j];
      j--;
    }
    codes[j + 1] = code;
    c0 = c1;
    c1 = c2;
  }
  let distinct = 1;
  for (let i = 1; i < n; i++) if (codes[i] !== codes[i - 1]) codes[distinct++] = codes[i];
  const grams = new Array<number>(distinct);
  for (let i = 0; i < distinct; i++) grams[i] = codes[i];
  return grams;
}

export function gramSimilarity(a: NameFeatures, b: NameFeatures): number {
  const x = a.grams;
  const y = b.grams;
  const nx = x.length;
  const ny = y.length;
  if (!nx || !ny) return 0;
  if (a.core === b.core) return 1;
  const common = commonGrams(x, y, Infinity);
  const dice = (2 * common) / (nx + ny);
  const shorter = Math.min(nx, ny);
  const overlap = shorter >= 4 ? (0.9 * common) / shorter : 0;
  return Math.max(dice, overlap);
}

/**
 * gramSimilarity(a, b) >= bar, decided as soon as the count of common trigrams settles it: the smallest count that
 * reaches the bar is found with the same arithmetic (both coefficients only grow with the count), then the merge
 * stops once it has that many.
 */
export function gramSimilarityReaches(a: NameFeatures, b: NameFeatures, bar: number): boolean {
  const x = a.grams;
  const y = b.grams;
  const nx = x.length;
  const ny = y.length;
  if (!nx || !ny) return 0 >= bar;
  if (a.core === b.core) return 1 >= bar;
  const shorter = Math.min(nx, ny);
  let lo = 0;
  let hi = shorter + 1;
  while (lo < hi) {
    const c = (lo + hi) >> 1;
    const sim = Math.max((2 * c) / (nx + ny), shorter >= 4 ? (0.9 * c) / shorter : 0);
    if (sim >= bar) hi = c;
    else lo = c + 1;
  }
  const need = lo;
  if (need > shorter) return false;
  return need === 0 || commonGrams(x, y, need) >= need;
}

/**
 * The trigrams two sorted lists have in common, counted up to `enough`. The steps are computed, not branched on
 * (branch mispredictions cost more than the merge itself).
 */
function commonGrams(x: readonly number[], y: readonly number[], enough: number): number {
  let common = 0;
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length && common < enough) {
    const p = x[i];
    const q = y[j];
    common += +(p === q);
    i += +(p <= q);
    j += +(p >= q);
  }
  return common;
}

/** Similarity 0–1 of two raw names (normalised here). */
export function nameSimilarity(a: string, b: string): number {
  return gramSimilarity(nameFeatures(a), nameFeatures(b));
}
