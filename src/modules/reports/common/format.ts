import { formatMoney } from '../../../common/money';

/** The report's language: Swedish unless the user reads English. */
export type ReportLocale = 'sv' | 'en';

const MONTHS: Record<ReportLocale, string[]> = {
  sv: [
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
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

const SHORT_MONTHS: Record<ReportLocale, string[]> = {
  sv: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/**
 * Money for the report's pages: `formatMoney` (Intl) with its no-break spaces made plain and its U+2212 minus made
 * a hyphen-minus — pdfkit's standard fonts (WinAnsi) have neither U+00A0-as-group-separator problems nor a U+2212
 * glyph, and plain characters are what a reader copying from the PDF expects. `12 345,67 kr` / `SEK 12,345.67`.
 */
export function money(minor: number, locale: ReportLocale, currency = 'SEK'): string {
  return formatMoney(minor, { locale, currency })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\u2212/g, '-');
}

/** Whole kronor for chart axes: `12 346 kr` / `SEK 12,346`. */
export function kronor(minor: number, locale: ReportLocale): string {
  const whole = Math.round(minor / 100);
  const grouped = Math.abs(whole)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'sv' ? ' ' : ',');
  const sign = whole < 0 ? '-' : '';
  return locale === 'sv' ? `${sign}${grouped} kr` : `${sign}SEK ${grouped}`;
}

/** `2026-12-02` → `2 december 2026` / `2 December 2026`. */
export function longDate(date: string, locale: ReportLocale): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[locale][m - 1]} ${y}`;
}

/** `2026-11` → `november 2026` / `November 2026`; `2026` stays `2026`. */
export function periodName(period: string, locale: ReportLocale): string {
  if (period.length === 4) return period;
  const [y, m] = period.split('-').map(Number) as [number, number];
  return `${MONTHS[locale][m - 1]} ${y}`;
}

/** `2026-11` → `nov` (chart labels); with the year when `withYear`: `nov 26`. */
export function shortMonth(period: string, locale: ReportLocale, withYear = false): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const name = SHORT_MONTHS[locale][m - 1];
  return withYear ? `${name} ${String(y).slice(2)}` : name;
}

/** A share 0..1 as a percentage with one decimal: `12,5 %` / `12.5%`. */
export function percent(share: number, locale: ReportLocale): string {
  const value = (Math.round(share * 1000) / 10).toFixed(1);
  return locale === 'sv' ? `${value.replace('.', ',')} %` : `${value}%`;
}

/** Öre as a decimal number with a comma (CSV for Swedish Excel): `1234567` → `12345,67`, `-5` → `-0,05`. */
export function decimalComma(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}
