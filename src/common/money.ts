/**
 * The one money formatter for texts people read (why texts, banners, mails, labels). Money is integer minor units
 * (öre for SEK) everywhere; file formats keep their own writers (SIE4: `kronorWithPoint`).
 */

export type MoneyLocale = 'sv' | 'en';

export interface FormatMoneyOptions {
  /** ISO 4217 code of the amount; `SEK` unless told. */
  currency?: string;
  /** `sv` unless told. */
  locale?: MoneyLocale;
}

const INTL_LOCALES: Record<MoneyLocale, string> = { sv: 'sv-SE', en: 'en-GB' };
const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(locale: MoneyLocale, currency: string): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(INTL_LOCALES[locale], { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * `formatMoney(123456)` → `1 234,56 kr` (sv: U+00A0 no-break spaces between the groups and before `kr`, U+2212 as
 * minus, as Intl writes Swedish); `formatMoney(123456, { locale: 'en' })` → `SEK 1,234.56` (U+00A0 after `SEK`). The amount is in minor
 * units of `currency` and is handed to Intl as an exact decimal string, so large amounts never round.
 */
export function formatMoney(
  minor: number,
  { currency = 'SEK', locale = 'sv' }: FormatMoneyOptions = {},
): string {
  if (!Number.isInteger(minor)) throw new RangeError(`Not an amount in minor units: ${minor}`);
  const formatter = formatterFor(locale, currency);
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  // BigInt: the exact integer even past 2^53 (a hostile or foreign amount is shown, never turned into an error)
  const abs = BigInt(Math.abs(minor))
    .toString()
    .padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = digits > 0 ? `.${abs.slice(abs.length - digits)}` : '';
  return formatter.format(`${minor < 0 ? '-' : ''}${whole}${fraction}` as Intl.StringNumericLiteral);
}
