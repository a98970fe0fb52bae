import { normalizeName } from '../../../common/names';
import { CANONICAL_CATEGORIES, MERCHANTS } from './knowledge-base';

/**
 * Canonical merchants from the names banks print (`ICA NARA STHLM 4432`, `KORTKÖP 260301 ICA MAXI`,
 * `SWISH ANNA`, `KLARNA*H&M`, `PAYPAL *SPOTIFY`, `SumUp *Cafe Foam`). Pure; the anomalies use it to group by
 * merchant too.
 *
 * 1. Payment prefixes are peeled off the front and remembered as the channel: card purchase words with their date
 *    (`KORTKÖP 260301`), payment services with a `*` (`KLARNA*`, `PAYPAL *`, `SUMUP *`, `IZ *`, `ZETTLE_*`,
 *    `SQ *`, `GOOGLE *`, `APPLE.COM/BILL`), `SWISH` (a person or a shop on Swish).
 * 2. The rest goes through the bank matching's `normalizeName` (src/common/names.ts): å/ä/ö folded, punctuation to
 *    spaces, legal forms (AB, HB, …), payment words and digit-only tokens (store numbers, dates, card digits)
 *    dropped.
 * 3. Trailing place names (`STHLM`, `GBG`, `MALMO`, `SE`, …) are dropped while another word remains.
 * 4. The longest alias of a known merchant (knowledge-base.ts) that starts the words names it (`ica nara` → ICA);
 *    failing that, a known alias of 5+ letters anywhere. Otherwise the first three words are the key.
 */

export type PaymentChannel = 'card' | 'swish' | 'intermediary' | 'giro' | 'transfer';

export interface Merchant {
  /** Lower-case, folded: what history and grouping use (`ica`, `h m`, `swish anna`, `cafe foam`). */
  key: string;
  /** What a person reads (`ICA`, `H&M`, `Swish: Anna`, `Cafe Foam`). */
  name: string;
  channel: PaymentChannel | null;
  /** The intermediary printed before the merchant (`klarna`, `paypal`, `sumup`, …). */
  via: string | null;
  /** Found in the built-in knowledge base. */
  known: boolean;
  /** The knowledge base's canonical category for a known merchant (CANONICAL_CATEGORIES key). */
  canonicalCategory: string | null;
  /** The merchant's words after steps 1–3 (what the text model reads). */
  tokens: string[];
}

const PLACES = new Set([
  'se',
  'swe',
  'sverige',
  'sweden',
  'stockholm',
  'sthlm',
  'sto',
  'goteborg',
  'gbg',
  'gothenburg',
  'malmo',
  'uppsala',
  'vasteras',
  'orebro',
  'linkoping',
  'helsingborg',
  'jonkoping',
  'norrkoping',
  'lund',
  'umea',
  'gavle',
  'boras',
  'sodertalje',
  'eskilstuna',
  'karlstad',
  'taby',
  'solna',
  'sundbyberg',
  'nacka',
  'huddinge',
  'kista',
  'lulea',
  'sundsvall',
  'vaxjo',
  'halmstad',
  'kalmar',
  'ostersund',
  'trollhattan',
  'falun',
  'skovde',
  'visby',
  'kungsholmen',
  'sodermalm',
  'ostermalm',
  'vasastan',
  'city',
  'centrum',
  'c',
  'arlanda',
]);

/** Card purchase and giro words that start a bank's text, then a date or a number. */
const CARD_PREFIX =
  /^(?:kortk[oö]p|kortkop|kort|k[oö]p|reservation|res|pos|purchase|debit|visa|mastercard|mc)\b[\s.:/-]*(?:\d[\d./-]*\s+)?/;
const GIRO_PREFIX =
  /^(?:bg|pg|bankgiro|plusgiro|autogiro|ag|e-?faktura|betalning|bet|betaln)\b[\s.:/-]*(?:\d[\d./-]*\s+)?/;
const TRANSFER_PREFIX = /^(?:[oö]verf[oö]ring|overf|överf|insattning|insättning|transfer)\b[\s.:/-]*/;
const SWISH_PREFIX = /^swish\b[\s.:/-]*(?:(?:betalning|fr[aå]n|till|mottagen|skickad)\b\s*)?/;
/** Payment services that print their name, a `*` (or `_*`) and the merchant. */
const VIA_STAR =
  /^(klarna|paypal|pp|sumup|sum up|izettle|zettle|iz|sq|square|google|apple\.com\/bill|apple|amzn mktp|vipps|nets|bambora|stripe|payex|swedbank pay|adyen)\s*_?\*\s*/;
/** The same services without the star, when a merchant follows. */
const VIA_WORD = /^(klarna|paypal|sumup|izettle|zettle)\s+(?=\S)/;

interface KnownMerchant {
  name: string;
  category: string;
  tokens: string[];
}

/** Known aliases by their first token, longest first. */
const BY_FIRST = new Map<string, KnownMerchant[]>();
/** Aliases of 5+ letters, for a match anywhere. */
const LONG_ALIASES: KnownMerchant[] = [];

const canonicalKeys = new Set(CANONICAL_CATEGORIES.map((c) => c.key));
for (const [category, name, aliases] of MERCHANTS) {
  if (!canonicalKeys.has(category)) throw new Error(`knowledge base: unknown category ${category}`);
  for (const alias of [name, ...(aliases ?? [])]) {
    const tokens = normalizeName(alias).split(' ').filter(Boolean);
    if (!tokens.length) continue;
    const known: KnownMerchant = { name, category, tokens };
    const list = BY_FIRST.get(tokens[0]) ?? [];
    list.push(known);
    list.sort((a, b) => b.tokens.length - a.tokens.length);
    BY_FIRST.set(tokens[0], list);
    if (tokens.join('').length >= 5) LONG_ALIASES.push(known);
  }
}

const startsWith = (tokens: string[], at: number, alias: string[]): boolean =>
  alias.every((t, i) => tokens[at + i] === t);

function findKnown(tokens: string[]): KnownMerchant | null {
  const first = BY_FIRST.get(tokens[0] ?? '');
  for (const known of first ?? []) if (startsWith(tokens, 0, known.tokens)) return known;
  let best: KnownMerchant | null = null;
  for (let at = 1; at < tokens.length; at++) {
    for (const known of BY_FIRST.get(tokens[at]) ?? []) {
      if (!LONG_ALIASES.includes(known)) continue;
      if (startsWith(tokens, at, known.tokens) && (!best || known.tokens.length > best.tokens.length))
        best = known;
    }
    if (best) return best;
  }
  return null;
}

const titleCase = (words: string[]) =>
  words.map((w) =>
    w.length <= 3 && !/[aeiouy]/.test(w) ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1),
  );

/** The canonical merchant of a supplier name or a bank text (see the file's comment). */
export function normalizeMerchant(raw: string): Merchant {
  let rest = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  let channel: PaymentChannel | null = null;
  let via: string | null = null;
  for (let guard = 0; guard < 4; guard++) {
    const before = rest;
    let m: RegExpExecArray | null;
    if ((m = CARD_PREFIX.exec(rest)) && m[0].length < rest.length) {
      channel ??= 'card';
      rest = rest.slice(m[0].length);
    } else if ((m = SWISH_PREFIX.exec(rest))) {
      channel = 'swish';
      rest = rest.slice(m[0].length);
    } else if ((m = VIA_STAR.exec(rest)) ?? (m = VIA_WORD.exec(rest))) {
      via = m[1].replace(/[^a-z]/g, '') || m[1];
      channel ??= 'intermediary';
      rest = rest.slice(m[0].length);
    } else if ((m = GIRO_PREFIX.exec(rest)) && m[0].length < rest.length) {
      channel ??= 'giro';
      rest = rest.slice(m[0].length);
    } else if ((m = TRANSFER_PREFIX.exec(rest)) && m[0].length < rest.length) {
      channel ??= 'transfer';
      rest = rest.slice(m[0].length);
    }
    rest = rest.trim();
    if (rest === before) break;
  }
  let tokens = normalizeName(rest).split(' ').filter(Boolean);
  while (tokens.length > 1 && PLACES.has(tokens[tokens.length - 1])) tokens = tokens.slice(0, -1);
  if (channel === 'swish') {
    const words = tokens.slice(0, 3);
    const known = words.length ? findKnown(tokens) : null;
    if (known) return merchantOf(known, channel, via, tokens);
    return {
      key: ['swish', ...words].join(' '),
      name: words.length ? `Swish: ${titleCase(words).join(' ')}` : 'Swish',
      channel,
      via,
      known: false,
      canonicalCategory: null,
      tokens,
    };
  }
  const known = tokens.length ? findKnown(tokens) : null;
  if (known) return merchantOf(known, channel, via, tokens);
  if (!tokens.length && via) {
    return {
      key: via,
      name: titleCase([via]).join(''),
      channel,
      via,
      known: false,
      canonicalCategory: null,
      tokens,
    };
  }
  const words = tokens.slice(0, 3);
  return {
    key: words.join(' '),
    name: titleCase(words).join(' '),
    channel,
    via,
    known: false,
    canonicalCategory: null,
    tokens,
  };
}

function merchantOf(
  known: KnownMerchant,
  channel: PaymentChannel | null,
  via: string | null,
  tokens: string[],
): Merchant {
  return {
    key: normalizeName(known.name),
    name: known.name,
    channel,
    via,
    known: true,
    canonicalCategory: known.category,
    tokens,
  };
}
