import ExcelJS from 'exceljs';

/**
 * Data rows of an exceljs streaming worksheet written as SpreadsheetML directly.
 *
 * exceljs builds a Row, a Cell per value, a style lookup per cell and an XML stream per row before anything is
 * written; for the 100 000-row transaction sheet that object churn (and its garbage collection) is most of the
 * workbook's time (bench:reports: 2.3 s against 0.3 s for the CSV of the same rows). The workbook — its sheets,
 * styles, frozen header, totals with formulas, zip — stays exceljs'; only the data rows between a committed header
 * row and the totals row take this path, with the cell XML exceljs writes (`t="str"` for text, as exceljs does
 * without shared strings). It relies on internals of exceljs 4's streaming writer: the worksheet's `stream` (where committed rows go)
 * and `_rowZero` (the next row number), the workbook's `styles` and `sharedStrings` — pinned by `xlsx-rows.spec.ts`,
 * which reads the result back with exceljs.
 */
export type CellKind = 'text' | 'number' | 'date';
export type CellValue = string | number | Date | null;

interface WorkbookInternals {
  styles: { addStyleModel(style: object, type: number): number };
  /** Written as xl/sharedStrings.xml at commit when it holds anything. */
  sharedStrings: { add(value: string): number };
}

interface WorksheetInternals {
  stream: { write(chunk: string): unknown };
  _rowZero: number;
  startedData: boolean;
}

/** Characters XML 1.0 cannot carry at all (exceljs drops them the same way). */
// eslint-disable-next-line no-control-regex
const INVALID = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

// eslint-disable-next-line no-control-regex
const SPECIAL = /[&<>"\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/;

export function xmlText(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(INVALID, '').replace(/[&<>"]/g, (c) => ESCAPES[c]);
}

/** Column letters of a 1-based index (A … Z, AA …). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const DAY_MS = 24 * 3600 * 1000;
/** Excel's serial day number of a UTC midnight (what exceljs writes for a Date cell). */
const excelSerial = (date: Date): number => 25569 + date.getTime() / DAY_MS;

/**
 * A writer of data rows for `worksheet`, whose header row must already be committed. `styles[i]` is the style
 * object of column i (shared by every cell of the column, as exceljs keys its style ids by object). A `shared` text
 * column (few distinct values: a category, a supplier) goes through the workbook's shared string table, each
 * distinct value written once.
 * Rows are buffered and written in batches; `flush()` before adding the next row through exceljs.
 */
export function fastRows(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  worksheet: ExcelJS.Worksheet,
  columns: { kind: CellKind; style: Partial<ExcelJS.Style>; shared?: boolean }[],
): { add(values: CellValue[]): void; flush(): void } {
  const ws = worksheet as unknown as WorksheetInternals;
  if (!ws.startedData) throw new Error('fastRows: commit the header row first');
  const { styles, sharedStrings } = workbook as unknown as WorkbookInternals;
  const type = {
    text: ExcelJS.ValueType.String,
    number: ExcelJS.ValueType.Number,
    date: ExcelJS.ValueType.Date,
  };
  const cells = columns.map((c, i) => {
    const id = styles.addStyleModel(c.style, type[c.kind]);
    return { shared: c.shared === true, letter: columnLetter(i + 1), style: id ? ` s="${id}"` : '' };
  });
  let chunk = '';
  let pending = 0;
  const flush = () => {
    if (chunk) ws.stream.write(chunk);
    ws._rowZero += pending;
    chunk = '';
    pending = 0;
  };
  return {
    add(values) {
      const r = ws._rowZero + pending;
      let xml = `<row r="${r}">`;
      for (let i = 0; i < cells.length; i += 1) {
        const value = values[i];
        let v: string;
        if (typeof value === 'number' && Number.isFinite(value)) v = `><v>${value}</v></c>`;
        else if (value instanceof Date) v = `><v>${excelSerial(value)}</v></c>`;
        else if (typeof value === 'string' && value !== '')
          v = cells[i].shared
            ? ` t="s"><v>${sharedStrings.add(value)}</v></c>`
            : ` t="str"><v>${xmlText(value)}</v></c>`;
        else continue;
        const cell = cells[i];
        xml += `<c r="${cell.letter}${r}"${cell.style}${v}`;
      }
      chunk += `${xml}</row>`;
      pending += 1;
      if (pending >= 500) flush();
    },
    flush,
  };
}
