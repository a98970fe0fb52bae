import { luhnValid } from './luhn';

/** Digits only: Swedish numbers are printed with spaces, dashes and dots. */
export const digitsOnly = (value: string): string => value.replace(/[\s.-]/g, '');

/**
 * OCR reference (bankgiro "OCR-nummer"): 2–25 digits, the last a mod-10 (Luhn) check digit; optionally the
 * second-to-last digit is a length digit (the number of digits incl. check and length digit, mod 10).
 * Returns the digits when valid, else null.
 */
export function normalizeOcr(input: string, options: { requireLengthDigit?: boolean } = {}): string | null {
  const digits = digitsOnly(input);
  if (!/^\d{2,25}$/.test(digits) || !luhnValid(digits)) return null;
  if (options.requireLengthDigit && Number(digits[digits.length - 2]) !== digits.length % 10) return null;
  return digits;
}

/** True when an OCR number carries a length digit that matches its length (a stronger check when present). */
export function ocrHasLengthDigit(digits: string): boolean {
  return digits.length >= 3 && Number(digits[digits.length - 2]) === digits.length % 10;
}

/** Bankgiro: 7 or 8 digits with a Luhn check digit, written `NNN-NNNN` or `NNNN-NNNN`. */
export function normalizeBankgiro(input: string): string | null {
  const digits = digitsOnly(input);
  if (!/^\d{7,8}$/.test(digits) || !luhnValid(digits)) return null;
  return `${digits.slice(0, -4)}-${digits.slice(-4)}`;
}

/** Plusgiro: 2–8 digits with a Luhn check digit, written with a dash before the check digit (`12345-6`). */
export function normalizePlusgiro(input: string): string | null {
  const digits = digitsOnly(input);
  if (!/^\d{2,8}$/.test(digits) || !luhnValid(digits)) return null;
  return `${digits.slice(0, -1)}-${digits.slice(-1)}`;
}

/**
 * Organisationsnummer: 10 digits (`NNNNNN-NNNN`, optionally with the `16` century prefix), Luhn-checked, the
 * third digit at least 2 (which tells it from a personnummer). Sole traders use their personnummer instead.
 */
export function normalizeOrgNumber(input: string): string | null {
  let digits = digitsOnly(input);
  if (/^16\d{10}$/.test(digits)) digits = digits.slice(2);
  if (!/^\d{10}$/.test(digits) || Number(digits[2]) < 2 || !luhnValid(digits)) return null;
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}
