import { isCalendarDate } from '../common/dates';
import { parseAmount, type DecimalSeparator } from './amounts';
import {
  StatementFormatError,
  type ParsedStatementLine,
  type RejectedRow,
  type StatementParseResult,
} from './statement';
import { decodeStatement, type TextEncoding } from './text-decoding';

/** A column: its header text (case- and space-insensitive) or its 1-based position. */
export type CsvColumn = string | number;

export const CSV_DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYYMMDD',
  'YY-MM-DD',
  'DD.MM.YYYY',
  'DD/MM/YYYY',
  'DD-MM-YYYY',
] as const;
export type CsvDateFormat = (typeof CSV_DATE_FORMATS)[number];
export const CSV_SEPARATORS = ['auto', ';', ',', '\t', '|'] as const;
export type CsvSeparator = (typeof CSV_SEPARATORS)[number];

/**
 * How to read one bank's CSV export. Saved as a named profile per organization (bank_csv_profiles).
 * Either `amount` (signed) or `debit`/`credit` (two columns, debit = money out) must be mapped.
 */
export interface CsvMapping {
  encoding: TextEncoding;
  separator: CsvSeparator;
  decimal: DecimalSeparator;
  dateFormat: CsvDateFormat;
  /** Lines before the header (a title line such as Swedbank's "* Transaktioner Period …"). */
  skipLines: number;
  /** false: no header line; columns must then be given by position. */
  hasHeader: boolean;
  columns: {
    date: CsvColumn;
    valueDate?: CsvColumn;
    amount?: CsvColumn;
    debit?: CsvColumn;
    credit?: CsvColumn;
    text?: CsvColumn;
    reference?: CsvColumn;
    counterparty?: CsvColumn;
    balance?: CsvColumn;
    bankReference?: CsvColumn;
  };
}

export const DEFAULT_CSV_MAPPING: Omit<CsvMapping, 'columns'> = {
  encoding: 'auto',
  separator: 'auto',
  decimal: ',',
  dateFormat: 'YYYY-MM-DD',
  skipLines: 0,
  hasHeader: true,
};

interface CsvRecord {
  lineNo: number;
  fields: string[];
}

/**
 * RFC 4180 records: quoted fields may hold the separator, doubled quotes and line breaks. `lineNo` is the physical
 * line the record starts on (1-based), so rejections point at what a person sees in an editor.
 */
export function splitCsv(text: string, separator: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === separator) {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ lineNo: startLine, fields });
      fields = [];
      field = '';
      atFieldStart = true;
      line++;
      startLine = line;
    } else {
      field += c;
      if (c !== ' ') atFieldStart = false;
    }
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    records.push({ lineNo: startLine, fields });
  }
  return records.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

/** The separator that splits the first lines into the same number (> 1) of fields most often. */
export function detectSeparator(text: string): string {
  const sample = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20)
    .join('\n');
  let best = ';';
  let bestScore = -1;
  for (const candidate of [';', '\t', ',', '|']) {
    const counts = splitCsv(sample, candidate).map((r) => r.fields.length);
    const widths = new Map<number, number>();
    for (const n of counts) if (n > 1) widths.set(n, (widths.get(n) ?? 0) + 1);
    const score = Math.max(0, ...widths.values());
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

export function parseCsvDate(raw: string, format: CsvDateFormat): string | null {
  const v = raw.trim();
  let m: RegExpExecArray | null;
  let iso: string | null = null;
  switch (format) {
    case 'YYYY-MM-DD':
      m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(v);
      iso = m ? `${m[1]}-${m[2]}-${m[3]}` : null;
      break;
    case 'YYYYMMDD':
      m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
      iso = m ? `${m[1]}-${m[2]}-${m[3]}` : null;
      break;
    case 'YY-MM-DD':
      m = /^(\d{2})-?(\d{2})-?(\d{2})$/.exec(v);
      iso = m ? `20${m[1]}-${m[2]}-${m[3]}` : null;
      break;
    case 'DD.MM.YYYY':
    case 'DD/MM/YYYY':
    case 'DD-MM-YYYY':
      m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(v);
      iso = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : null;
      break;
  }
  return iso && isCalendarDate(iso) ? iso : null;
}

const headerKey = (h: string): string =>
  h
    .replace(/^\ufeff/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');

type ColumnName = keyof CsvMapping['columns'];

function resolveColumns(mapping: CsvMapping, header: string[] | null): Partial<Record<ColumnName, number>> {
  const keys = header?.map(headerKey);
  const out: Partial<Record<ColumnName, number>> = {};
  for (const [name, column] of Object.entries(mapping.columns) as [ColumnName, CsvColumn | undefined][]) {
    if (column === undefined) continue;
    if (typeof column === 'number') {
      out[name] = column - 1;
      continue;
    }
    if (!keys)
      throw new StatementFormatError(`Column "${column}" is given by name but the file has no header line`);
    const index = keys.indexOf(headerKey(column));
    if (index < 0) {
      throw new StatementFormatError(
        `Column "${column}" (${name}) is not in the header: ${header!.map((h) => `"${h.trim()}"`).join(', ')}`,
      );
    }
    out[name] = index;
  }
  if (out.date === undefined) throw new StatementFormatError('The date column is not mapped');
  if (out.amount === undefined && out.debit === undefined && out.credit === undefined) {
    throw new StatementFormatError('Map either the amount column or the debit/credit columns');
  }
  return out;
}

const clean = (v: string | undefined): string => (v ?? '').replace(/\s+/g, ' ').trim();

/** Parses a CSV bank export with a column mapping; rows that cannot be read are rejected with their line number. */
export function parseCsvStatement(
  bytes: Uint8Array,
  mapping: CsvMapping,
): StatementParseResult & { encoding: string; separator: string } {
  const { text, encoding } = decodeStatement(bytes, mapping.encoding);
  const separator = mapping.separator === 'auto' ? detectSeparator(text) : mapping.separator;
  const records = splitCsv(text, separator).filter((r) => r.lineNo > mapping.skipLines);
  const header = mapping.hasHeader ? (records.shift()?.fields ?? null) : null;
  if (mapping.hasHeader && !header) throw new StatementFormatError('The file is empty');
  const col = resolveColumns(mapping, header);
  const lines: ParsedStatementLine[] = [];
  const rejected: RejectedRow[] = [];
  const field = (r: CsvRecord, name: ColumnName): string | undefined => {
    const i = col[name];
    return i === undefined ? undefined : r.fields[i];
  };
  for (const record of records) {
    const reject = (reason: string) => rejected.push({ line: record.lineNo, reason });
    const rawDate = clean(field(record, 'date'));
    const bookingDate = parseCsvDate(rawDate, mapping.dateFormat);
    if (!bookingDate) {
      reject(rawDate ? `Invalid date "${rawDate}" (expected ${mapping.dateFormat})` : 'Date missing');
      continue;
    }
    let amount: number | null;
    if (col.amount !== undefined) {
      const raw = clean(field(record, 'amount'));
      amount = raw ? parseAmount(raw, mapping.decimal) : null;
      if (amount === null) {
        reject(raw ? `Invalid amount "${raw}"` : 'Amount missing');
        continue;
      }
    } else {
      const rawDebit = clean(field(record, 'debit'));
      const rawCredit = clean(field(record, 'credit'));
      const debit = rawDebit ? parseAmount(rawDebit, mapping.decimal) : 0;
      const credit = rawCredit ? parseAmount(rawCredit, mapping.decimal) : 0;
      if (debit === null || credit === null) {
        reject(`Invalid amount "${debit === null ? rawDebit : rawCredit}"`);
        continue;
      }
      // Debit columns hold money out, printed with or without a minus sign.
      amount = Math.abs(credit) - Math.abs(debit);
    }
    if (amount === 0) {
      reject('Amount is zero');
      continue;
    }
    const rawValueDate = clean(field(record, 'valueDate'));
    const valueDate = rawValueDate ? parseCsvDate(rawValueDate, mapping.dateFormat) : null;
    if (rawValueDate && !valueDate) {
      reject(`Invalid value date "${rawValueDate}"`);
      continue;
    }
    const rawBalance = clean(field(record, 'balance'));
    const balance = rawBalance ? parseAmount(rawBalance, mapping.decimal) : null;
    if (rawBalance && balance === null) {
      reject(`Invalid balance "${rawBalance}"`);
      continue;
    }
    const counterparty = clean(field(record, 'counterparty'));
    const text = clean(field(record, 'text')) || counterparty;
    lines.push({
      lineNo: record.lineNo,
      bookingDate,
      valueDate,
      amount,
      currency: null,
      text,
      reference: clean(field(record, 'reference')) || null,
      counterpartyName: counterparty || null,
      bankReference: clean(field(record, 'bankReference')) || null,
      endToEndId: null,
      balance,
      transactionCode: null,
    });
  }
  return { lines, rejected, encoding, separator };
}
