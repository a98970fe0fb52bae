import { kronorWithPoint } from '../common/money';
import { encodeCp437 } from './cp437';
import type { VoucherRow } from './booking-templates';

/**
 * SIE 4 (type 4: verifikationer), the file Swedish accounting programs exchange. Written as CP437 ("PC8") text with
 * CRLF line ends: `#FLAGGA 0`, `#PROGRAM`, `#FORMAT PC8`, `#GEN`, `#SIETYP 4`, `#FNAMN`, `#ORGNR`, `#RAR 0`,
 * `#VALUTA`, one `#KONTO` per account used, then every voucher as
 *
 *   #VER B 1 20260302 "Vattenfall AB" 20260305
 *   {
 *      #TRANS 2440 {} 1250.00
 *      #TRANS 1930 {} -1250.00
 *   }
 *
 * Amounts in kronor with a decimal point and two decimals, debit positive and credit negative. Texts are quoted;
 * a quote inside is written `\"` and a backslash `\\`.
 */

export interface SieVoucher {
  series: string;
  number: number;
  date: string; // YYYY-MM-DD
  text: string;
  registeredAt: Date;
  rows: readonly VoucherRow[];
}

export interface SieExport {
  program: { name: string; version: string };
  generatedAt: Date;
  generatedBy: string;
  companyName: string;
  orgNumber: string;
  fiscalYear: { start: string; end: string };
  currency: string;
  vouchers: readonly SieVoucher[];
}

const compactDate = (iso: string): string => iso.slice(0, 10).replace(/-/g, '');
const utcDate = (d: Date): string => compactDate(d.toISOString());

export function sieQuote(text: string): string {
  return `"${text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')}"`;
}

export function sieText(input: SieExport): string {
  const lines: string[] = [
    '#FLAGGA 0',
    `#PROGRAM ${sieQuote(input.program.name)} ${sieQuote(input.program.version)}`,
    '#FORMAT PC8',
    `#GEN ${utcDate(input.generatedAt)} ${sieQuote(input.generatedBy)}`,
    '#SIETYP 4',
    `#FNAMN ${sieQuote(input.companyName)}`,
    `#ORGNR ${input.orgNumber}`,
    `#RAR 0 ${compactDate(input.fiscalYear.start)} ${compactDate(input.fiscalYear.end)}`,
    `#VALUTA ${input.currency}`,
  ];
  const accounts = new Map<string, string>();
  for (const v of input.vouchers)
    for (const r of v.rows) if (!accounts.has(r.account)) accounts.set(r.account, r.accountName);
  for (const [account, name] of [...accounts].sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`#KONTO ${account} ${sieQuote(name)}`);
  for (const v of input.vouchers) {
    lines.push(
      `#VER ${v.series} ${v.number} ${compactDate(v.date)} ${sieQuote(v.text)} ${utcDate(v.registeredAt)}`,
    );
    lines.push('{');
    for (const r of v.rows) lines.push(`   #TRANS ${r.account} {} ${kronorWithPoint(r.debit - r.credit)}`);
    lines.push('}');
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function writeSie4(input: SieExport): Buffer {
  return encodeCp437(sieText(input));
}
