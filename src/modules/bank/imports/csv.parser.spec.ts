import {
  DEFAULT_CSV_MAPPING,
  detectSeparator,
  parseCsvDate,
  parseCsvStatement,
  splitCsv,
  type CsvMapping,
} from './csv.parser';
import { StatementFormatError } from './statement';
import { decodeStatement } from './text-decoding';

const win1252 = (text: string): Buffer => {
  // Encode text to Windows-1252 by hand for the few letters used here (Node has no encoder for it).
  const map: Record<string, number> = {
    å: 0xe5,
    ä: 0xe4,
    ö: 0xf6,
    Å: 0xc5,
    Ä: 0xc4,
    Ö: 0xd6,
    é: 0xe9,
    '€': 0x80,
  };
  return Buffer.from([...text].map((c) => map[c] ?? c.charCodeAt(0)));
};

const mapping = (overrides: Partial<CsvMapping> = {}): CsvMapping => ({
  ...DEFAULT_CSV_MAPPING,
  columns: { date: 'Bokföringsdag', amount: 'Belopp', text: 'Text', reference: 'Referens', balance: 'Saldo' },
  ...overrides,
});

describe('decodeStatement', () => {
  it('strips a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Åsa;ö', 'utf8')]);
    expect(decodeStatement(bytes)).toEqual({ text: 'Åsa;ö', encoding: 'utf-8' });
  });
  it('falls back to Windows-1252 for bytes that are not UTF-8', () => {
    expect(decodeStatement(win1252('Räksmörgås €'))).toEqual({
      text: 'Räksmörgås €',
      encoding: 'windows-1252',
    });
  });
  it('honours an explicit encoding', () => {
    expect(decodeStatement(Buffer.from('Å', 'utf8'), 'windows-1252').text).toBe('Ã…');
  });
  it('reads UTF-16 LE with a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Öl;12', 'utf16le')]);
    expect(decodeStatement(bytes).text).toBe('Öl;12');
  });
});

describe('splitCsv / detectSeparator', () => {
  it('handles quotes, doubled quotes, separators and line breaks inside quotes, CRLF', () => {
    const records = splitCsv('a;"b;c";"say ""hi"""\r\n"multi\nline";x;y\r\n\r\nlast;;', ';');
    expect(records).toEqual([
      { lineNo: 1, fields: ['a', 'b;c', 'say "hi"'] },
      { lineNo: 2, fields: ['multi\nline', 'x', 'y'] },
      { lineNo: 5, fields: ['last', '', ''] },
    ]);
  });
  it('detects semicolon, comma and tab', () => {
    expect(detectSeparator('Datum;Belopp;Text\n2026-01-01;1,00;a\n')).toBe(';');
    expect(detectSeparator('Date,Amount,Text\n2026-01-01,"1,00",a\n')).toBe(',');
    expect(detectSeparator('Datum\tBelopp\n2026-01-01\t1,00\n')).toBe('\t');
  });
});

describe('parseCsvDate', () => {
  it.each([
    ['2026-03-05', 'YYYY-MM-DD', '2026-03-05'],
    ['2026-03-05 00:00', 'YYYY-MM-DD', '2026-03-05'],
    ['20260305', 'YYYYMMDD', '2026-03-05'],
    ['26-03-05', 'YY-MM-DD', '2026-03-05'],
    ['5.3.2026', 'DD.MM.YYYY', '2026-03-05'],
    ['05/03/2026', 'DD/MM/YYYY', '2026-03-05'],
  ] as const)('%s (%s)', (raw, format, iso) => {
    expect(parseCsvDate(raw, format)).toBe(iso);
  });
  it('refuses impossible dates', () => {
    expect(parseCsvDate('2026-02-30', 'YYYY-MM-DD')).toBeNull();
    expect(parseCsvDate('2026-13-01', 'YYYY-MM-DD')).toBeNull();
    expect(parseCsvDate('05.03.2026', 'YYYY-MM-DD')).toBeNull();
  });
});

describe('parseCsvStatement', () => {
  it('reads a Windows-1252 export with decimal comma, spaces as thousands separators and a title line', () => {
    const file = win1252(
      [
        '* Transaktioner Period 2026-03-01 – 2026-03-31',
        'Bokföringsdag;Referens;Text;Belopp;Saldo',
        '2026-03-02;55500123;Vattenfall Kundtjänst;-1 250,00;10 000,00',
        '2026-03-03;;Lön Mars;25 000,50;35 000,50',
        '2026-03-04;;Kaffe på Café Ström;45,00-;34 955,50',
        '2026-03-05;;Återbetalning;(12,50);34 943,00',
      ].join('\r\n'),
    );
    const result = parseCsvStatement(file, mapping({ skipLines: 1 }));
    expect(result.encoding).toBe('windows-1252');
    expect(result.separator).toBe(';');
    expect(result.rejected).toEqual([]);
    expect(result.lines).toEqual([
      expect.objectContaining({
        lineNo: 3,
        bookingDate: '2026-03-02',
        amount: -125000,
        text: 'Vattenfall Kundtjänst',
        reference: '55500123',
        balance: 1000000,
      }),
      expect.objectContaining({ lineNo: 4, amount: 2500050, text: 'Lön Mars', reference: null }),
      expect.objectContaining({ lineNo: 5, amount: -4500, text: 'Kaffe på Café Ström' }),
      expect.objectContaining({ lineNo: 6, amount: -1250, text: 'Återbetalning' }),
    ]);
  });

  it('rejects bad rows with their line number and a reason, keeps the good ones', () => {
    const file = Buffer.from(
      [
        'Bokföringsdag;Referens;Text;Belopp;Saldo',
        '2026-02-30;;a;1,00;',
        '2026-03-01;;b;abc;',
        '2026-03-01;;c;;',
        '2026-03-01;;d;0,00;',
        '2026-03-02;;ok;-3,00;x',
        '2026-03-02;;ok;-3,00;',
      ].join('\n'),
    );
    const result = parseCsvStatement(file, mapping());
    expect(result.rejected).toEqual([
      { line: 2, reason: 'Invalid date "2026-02-30" (expected YYYY-MM-DD)' },
      { line: 3, reason: 'Invalid amount "abc"' },
      { line: 4, reason: 'Amount missing' },
      { line: 5, reason: 'Amount is zero' },
      { line: 6, reason: 'Invalid balance "x"' },
    ]);
    expect(result.lines.map((l) => l.lineNo)).toEqual([7]);
  });

  it('reads debit/credit columns (debit = money out, with or without a sign) and columns by position', () => {
    const file = Buffer.from(
      ['05.03.2026,Hyra,"1.000,00",', '06.03.2026,Swish från Anna,,"200,00"', '07.03.2026,Avgift,-15,'].join(
        '\n',
      ),
    );
    const result = parseCsvStatement(file, {
      ...DEFAULT_CSV_MAPPING,
      separator: ',',
      hasHeader: false,
      dateFormat: 'DD.MM.YYYY',
      columns: { date: 1, text: 2, debit: 3, credit: 4 },
    });
    expect(result.rejected).toEqual([]);
    expect(result.lines.map((l) => [l.bookingDate, l.amount, l.text])).toEqual([
      ['2026-03-05', -100000, 'Hyra'],
      ['2026-03-06', 20000, 'Swish från Anna'],
      ['2026-03-07', -1500, 'Avgift'],
    ]);
  });

  it('fails the whole file when a mapped column is not in the header', () => {
    const file = Buffer.from('Datum;Summa\n2026-03-01;1,00\n');
    expect(() => parseCsvStatement(file, mapping())).toThrow(StatementFormatError);
    expect(() => parseCsvStatement(file, mapping())).toThrow(/Bokföringsdag/);
  });

  it('refuses a mapping with neither amount nor debit/credit', () => {
    const file = Buffer.from('Datum\n2026-03-01\n');
    expect(() => parseCsvStatement(file, { ...DEFAULT_CSV_MAPPING, columns: { date: 'Datum' } })).toThrow(
      /amount/,
    );
  });
});
