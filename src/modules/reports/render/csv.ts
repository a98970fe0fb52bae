import { decimalComma, type ReportLocale } from '../common/format';

/** Characters a spreadsheet may read as the start of a formula (OWASP CSV injection): a cell starting with one is
 *  prefixed with an apostrophe. Tab and CR too, which some programs strip before looking at the first character. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe for Excel and LibreOffice: formula starts neutralized, then quoted when needed. */
export function csvText(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[";\n\r]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number cell: decimal comma, never quoted, so Swedish Excel reads it as a number (a minus is a number here). */
export const csvMoney = (minor: number): string => decimalComma(minor);

/** One CSV line, `;`-separated, CRLF-ended (RFC 4180 and what Excel writes). */
export const csvLine = (cells: string[]): string => `${cells.join(';')}\r\n`;

/** UTF-8 byte order mark: Excel opens the file as UTF-8 only with it (å, ä, ö). */
export const BOM = '\uFEFF';

export type CsvLocale = ReportLocale;
