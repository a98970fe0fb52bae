/**
 * Counterparty names as banks print them ("VATTENFALL AB", "GOTEBORG ENERGI", "KORTKÖP 260301 ICA MAXI") compared
 * with the names we know (supplier name and aliases). Two steps, both cheap enough for the blocking engine:
 *
 * 1. `normalizeName`: lower case; å/ä → a, ö → o, é → e, ü → u (banks often drop the dots); everything that is not a
 *    letter or digit → space; then drop tokens that say nothing about who it is: legal forms (ab, hb, kb, ek för,
 *    publ, …), payment words (bg, pg, ocr, kortköp, betalning, autogiro, swish, …) and digit-only tokens (dates,
 *    card numbers).
 * 2. `nameSimilarity`: character trigrams of the normalised names (padded with a space at both ends). The score is
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

export function normalizeName(input: string): string {
  const lower = input.toLowerCase();
  let out = '';
  let token = '';
  let digitsOnly = true;
  const flush = () => {
    if (token && !digitsOnly && !STOP_TOKENS.has(token)) out += out ? ` ${token}` : token;
    token = '';
    digitsOnly = true;
  };
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i];
    const code = c.charCodeAt(0);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      token += c;
      if (code >= 97) digitsOnly = false;
    } else if (code > 127) {
      const folded = FOLD[c];
      if (folded) {
        token += folded;
        digitsOnly = false;
      } else if (/\p{L}/u.test(c)) {
        token += c;
        digitsOnly = false;
      } else {
        flush();
      }
    } else {
      flush();
    }
  }
  flush();
  return out;
}

/** A normalised name with its sorted, distinct trigram codes. */
export interface NameFeatures {
  norm: string;
  /** Sorted, distinct trigram codes (a plain array: cheaper to allocate than a typed one for short names). */
  grams: number[];
}

export function nameFeatures(input: string): NameFeatures {
  const norm = normalizeName(input);
  if (!norm) return { norm, grams: [] };
  const padded = ` ${norm} `;
  const n = padded.length - 2;
  const codes: number[] = new Array<number>(n);
  let c0 = padded.charCodeAt(0) & 0x3ff;
  let c1 = padded.charCodeAt(1) & 0x3ff;
  for (let i = 0; i < n; i++) {
    const c2 = padded.charCodeAt(i + 2) & 0x3ff;
    const code = (c0 << 20) | (c1 << 10) | c2;
    // insertion sort: names are short, and this beats a typed-array sort call
    let j = i - 1;
    while (j >= 0 && codes[j] > code) {
      codes[j + 1] = codes[j]!;
      j--;
    }
    codes[j + 1] = code;
    c0 = c1;
    c1 = c2;
  }
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || codes[i] !== codes[i - 1]) codes[distinct++] = codes[i]!;
  codes.length = distinct;
  return { norm, grams: codes };
}

export function gramSimilarity(a: NameFeatures, b: NameFeatures): number {
  const x = a.grams;
  const y = b.grams;
  if (!x.length || !y.length) return 0;
  if (a.norm === b.norm) return 1;
  let common = 0;
  for (let i = 0, j = 0; i < x.length && j < y.length;) {
    if (x[i] === y[j]) {
      common++;
      i++;
      j++;
    } else if (x[i] < y[j]) i++;
    else j++;
  }
  const dice = (2 * common) / (x.length + y.length);
  const shorter = Math.min(x.length, y.length);
  const overlap = shorter >= 4 ? (0.9 * common) / shorter : 0;
  return Math.max(dice, overlap);
}

/** Similarity 0–1 of two raw names (normalised here). */
export function nameSimilarity(a: string, b: string): number {
  return gramSimilarity(nameFeatures(a), nameFeatures(b));
}
