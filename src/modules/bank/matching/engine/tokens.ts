/**
 * Tokens of references and texts, found by character scans (not regular expressions): the separators of a printed
 * reference, OCR numbers and digit runs typed into a text, invoice-number tokens, the OCR index key of a token and
 * the FNV-1a hash the invoice-number index uses.
 */
import type { MatchLine } from '../types';

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
export const isRefSeparator = (c: number): boolean => c === 45 || c === 46 || isSpace(c);

function hasRefSeparator(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isRefSeparator(s.charCodeAt(i))) return true;
  return false;
}
/** The digits of an OCR number as printed (spaces, dots and dashes dropped). */
export const digitsOf = (s: string): string => (hasRefSeparator(s) ? s.replace(/[\s.-]/g, '') : s);
/** An invoice number compared as printed: spaces, dots and dashes dropped, upper case. */
export const normalizeRef = (s: string): string => digitsOf(s).toUpperCase();

/** FNV-1a over character codes (32-bit). */
export const HASH_SEED = 0x811c9dc5 | 0;
export const hashStep = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);

/** The reference itself, and digit runs of 5+ characters in the text (an OCR number typed into the message). */
export function referenceTokens(line: MatchLine): string[] {
  const out: string[] = [];
  if (line.reference) out.push(digitsOf(line.reference));
  digitRuns(line.text, out);
  return out;
}

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

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

export const isWordChar = (c: number): boolean =>
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
export function invoiceTokens(line: MatchLine): string[] {
  const out: string[] = [];
  const visit = (s: string, start: number, end: number) => out.push(normalizeRef(s.slice(start, end)));
  scanInvoiceTokens(line.text, visit);
  if (line.reference) scanInvoiceTokens(line.reference, visit);
  return out;
}

/**
 * The OCR index key of s[start, end) without the characters `skip` accepts. Digits only and at most 14 of them
 * (nearly every OCR number): the number · 32 + its length — exact, so equal keys are equal OCR numbers and a hit
 * needs no check; otherwise −1 − a 32-bit hash of the characters (a hit is checked character by character).
 */
export function ocrKey(s: string, start: number, end: number, skip: (c: number) => boolean): number {
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
export function sameFiltered(
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

export const isBlank = (c: number): boolean => c === 32;

/** Texts banks print for a card purchase ("KORTKÖP 0412 ICA NÄRA", "Kortbetalning", "Card purchase"). */
const CARD_TEXT = /kortk[oö]p|kortbet|korttransaktion|card purchase|visa k[oö]p|mastercard k[oö]p/i;
/** Card transaction codes: ISO 20022 families CCRD/MCRD (customer/merchant card), POS sub-families, proprietary. */
const CARD_CODE = /CCRD|MCRD|POSD|POSC|KORT|CARD/i;

/** The line is a card purchase: by its transaction code, else by its text or counterparty name. */
export function isCardPurchase(
  line: Pick<MatchLine, 'text' | 'counterpartyName' | 'transactionCode'>,
): boolean {
  if (line.transactionCode && CARD_CODE.test(line.transactionCode)) return true;
  return cardText(line.text) || (!!line.counterpartyName && cardText(line.counterpartyName));
}

/** CARD_TEXT.test(s), with a quick exit for texts without "ort", "ard" or "isa" in any case (most of them). */
function cardText(s: string): boolean {
  // one pass over the middle letters r/R and s/S instead of six indexOf scans
  for (let i = 1, n = s.length - 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c !== 114 && c !== 82 && c !== 115 && c !== 83) continue;
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i + 1);
    const maybe =
      c === 114 // r: "ort", "ard"
        ? (a === 111 && b === 116) || (a === 97 && b === 100)
        : c === 82 // R: "ORT", "ARD"
          ? (a === 79 && b === 84) || (a === 65 && b === 68)
          : c === 115 // s: "isa"
            ? a === 105 && b === 97
            : a === 73 && b === 65; // S: "ISA"
    if (maybe) return CARD_TEXT.test(s);
  }
  return false;
}

/** The line's reference when it is an OCR number (5–25 digits once separators are dropped), else null. */
export function ocrReferenceOf(line: Pick<MatchLine, 'reference'>): string | null {
  const ref = line.reference;
  if (!ref) return null;
  const digits = digitsOf(ref);
  if (digits.length < 5 || digits.length > 25) return null;
  for (let i = 0; i < digits.length; i++) if (!isDigit(digits.charCodeAt(i))) return null;
  return digits;
}
