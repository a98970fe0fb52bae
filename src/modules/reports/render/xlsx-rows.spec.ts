import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { columnLetter, fastRows, xmlText } from './xlsx-rows';

const MONEY = Object.freeze({ numFmt: '#,##0.00 "kr"' });
const DATE = Object.freeze({ numFmt: 'yyyy-mm-dd' });

/** A workbook written through exceljs' streaming writer with the data rows on the fast path, read back by exceljs. */
async function roundTrip(rows: (string | number | Date | null)[][]): Promise<ExcelJS.Worksheet> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = workbook.addWorksheet('Lista', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(['Datum', 'Text', 'Belopp']).commit();
  const fast = fastRows(workbook, ws, [
    { kind: 'date', style: DATE },
    { kind: 'text', style: {}, shared: true },
    { kind: 'number', style: MONEY },
    { kind: 'text', style: {} },
  ]);
  for (const row of rows) fast.add(row);
  fast.flush();
  const total = ws.addRow(['Summa', null, { formula: `SUM(C2:C${rows.length + 1})`, result: 0 }]);
  total.commit();
  ws.commit();
  await workbook.commit();
  const read = new ExcelJS.Workbook();
  await read.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return read.getWorksheet('Lista')!;
}

describe('fastRows', () => {
  it('writes number, date and text cells exceljs reads back with their formats, rows numbered on', async () => {
    const ws = await roundTrip([
      [new Date('2026-11-01T00:00:00Z'), 'ICA Kvantum Åre', -617.28],
      [new Date('2024-02-29T00:00:00Z'), 'A & B <AB> "citat"', 0],
      [null, '', 12_345_678.9],
      [new Date('2026-12-31T00:00:00Z'), '=HYPERLINK("http://evil")', Number.NaN],
      [new Date('2026-01-01T00:00:00Z'), '  mellanslag  \u0001styrtecken', 1, 'A & B <AB> "citat"'],
    ]);
    expect(ws.getRow(2).getCell(1).value).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(ws.getRow(2).getCell(1).numFmt).toBe('yyyy-mm-dd');
    expect(ws.getRow(2).getCell(2).value).toBe('ICA Kvantum Åre');
    expect(ws.getRow(2).getCell(3).value).toBe(-617.28);
    expect(ws.getRow(2).getCell(3).numFmt).toBe('#,##0.00 "kr"');
    expect(ws.getRow(3).getCell(1).value).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(ws.getRow(3).getCell(2).value).toBe('A & B <AB> "citat"');
    expect(ws.getRow(3).getCell(3).value).toBe(0);
    expect(ws.getRow(4).getCell(1).value).toBeNull();
    expect(ws.getRow(4).getCell(2).value).toBeNull();
    expect(ws.getRow(4).getCell(3).value).toBe(12_345_678.9);
    expect(ws.getRow(5).getCell(2).value).toBe('=HYPERLINK("http://evil")');
    expect(ws.getRow(5).getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(5).getCell(3).value).toBeNull();
    expect(ws.getRow(6).getCell(2).value).toBe('  mellanslag  styrtecken');
    expect(ws.getRow(6).getCell(4).value).toBe('A & B <AB> "citat"'); // the same text, not shared
    expect(ws.getRow(6).getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(7).getCell(3).value).toMatchObject({ formula: 'SUM(C2:C6)' });
    expect(ws.rowCount).toBe(7);
  });

  it('keeps row numbers across batches', async () => {
    const rows = Array.from({ length: 1_234 }, (_, i) => [null, `rad ${i}`, i]);
    const ws = await roundTrip(rows);
    expect(ws.getRow(1_235).getCell(2).value).toBe('rad 1233');
    expect(ws.getRow(1_236).getCell(1).value).toBe('Summa');
  });

  it('refuses a sheet whose header row is not committed', () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new PassThrough() });
    const ws = workbook.addWorksheet('x');
    expect(() => fastRows(workbook, ws, [])).toThrow(/header/);
  });

  it('escapes XML and drops characters XML cannot carry', () => {
    expect(xmlText('Åre & <Luleå> "x"')).toBe('Åre &amp; &lt;Luleå&gt; &quot;x&quot;');
    expect(xmlText('a\u0000b\u001fc\ufffe')).toBe('abc');
    expect(xmlText('vanlig text')).toBe('vanlig text');
    expect([1, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
