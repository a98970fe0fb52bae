import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { longDate, periodName } from '../common/format';
import { labelOf } from '../common/labels';
import { textsFor, upcomingName } from '../common/texts';
import type { Progress, ReportData, TransactionSource } from '../data/report-data';
import { columnLetter, fastRows, type CellKind, type CellValue } from './xlsx-rows';

/** Kronor with two decimals and the currency; Excel shows the separators of the reader's locale. */
const MONEY = '#,##0.00 "kr"';
const DATE = 'yyyy-mm-dd';
const COUNT = '0';

type Kind = 'text' | 'money' | 'date' | 'count';
interface Column {
  header: string;
  width: number;
  kind: Kind;
  /** Summed in the totals row (a SUM formula). */
  total?: boolean;
  /** Few distinct values (a category, a supplier): each written once, in the workbook's shared string table. */
  shared?: boolean;
}

/** One style object per kind: exceljs keys a style id by the object (xlsx-rows.ts asks once per column). */
const STYLES: Record<Kind, Partial<ExcelJS.Style>> = {
  text: Object.freeze({}),
  money: Object.freeze({ numFmt: MONEY }),
  date: Object.freeze({ numFmt: DATE }),
  count: Object.freeze({ numFmt: COUNT }),
};

const CELL_KIND: Record<Kind, CellKind> = { text: 'text', money: 'number', date: 'date', count: 'number' };

/**
 * A calendar date as an Excel date cell (midnight UTC: exceljs writes the serial without a zone shift). A report
 * has at most a year of distinct dates, so each is parsed once (exceljs only reads the Date).
 */
function dateCells(): (date: string) => Date {
  const seen = new Map<string, Date>();
  return (date) => {
    let value = seen.get(date);
    if (!value) {
      value = new Date(`${date}T00:00:00Z`);
      seen.set(date, value);
    }
    return value;
  };
}
const kr = (minor: number): number => minor / 100;

/**
 * The report as an Excel workbook through exceljs' streaming writer: rows are committed as they are written, so
 * memory stays flat however long the transaction list is. One sheet per section; numbers and dates are real
 * number/date cells with formats; the header row is frozen; a totals row sums with formulas (`SUM(C2:C13)`), with
 * the computed value cached so readers that do not recalculate still show it.
 */
export async function renderXlsx(
  data: ReportData,
  rows: TransactionSource,
  out: Writable,
  progress: Progress,
): Promise<void> {
  const t = textsFor(data.locale);
  const dateCell = dateCells();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    // Fast deflate: the sheets are repetitive XML, level 1 still packs them ~8:1 at a fraction of level 6's time.
    zip: { zlib: { level: 1 } },
  });
  workbook.creator = 'WestWallet';
  workbook.created = new Date(`${data.generatedOn}T00:00:00Z`);

  const sheet = (name: string, columns: Column[]) => {
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width }));
    const header = ws.addRow(columns.map((c) => c.header));
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
    header.commit();
    const rows = fastRows(
      workbook,
      ws,
      columns.map((c) => ({ kind: CELL_KIND[c.kind], style: STYLES[c.kind], shared: c.shared })),
    );
    let count = 0;
    const sums = columns.map(() => 0);
    return {
      add(values: CellValue[]) {
        values.forEach((v, i) => {
          if (columns[i]?.total && typeof v === 'number') sums[i] += v;
        });
        rows.add(values);
        count += 1;
      },
      /** The totals row (formulas over the rows written), then the sheet is committed. */
      async close(withTotals = true) {
        rows.flush();
        if (withTotals && count > 0) {
          const first = 2;
          const last = count + 1;
          const row = ws.addRow(
            columns.map((c, i) =>
              i === 0
                ? t.total
                : c.total
                  ? {
                      formula: `SUM(${columnLetter(i + 1)}${first}:${columnLetter(i + 1)}${last})`,
                      result: Math.round(sums[i] * 100) / 100,
                    }
                  : null,
            ),
          );
          row.font = { bold: true };
          columns.forEach((c, i) => {
            if (c.total) row.getCell(i + 1).numFmt = STYLES[c.kind].numFmt!;
          });
          row.commit();
        }
        ws.commit();
        progress(1);
        await Promise.resolve();
      },
    };
  };

  const title = `${data.kind === 'monthly' ? t.monthlyTitle : t.yearlyTitle} ${periodName(data.period, data.locale)}`;
  const summary = sheet(t.summary, [
    { header: title, width: 34, kind: 'text' },
    { header: data.organizationName, width: 22, kind: 'money' },
  ]);
  summary.add([t.generated, longDate(data.generatedOn, data.locale)]);
  summary.add([t.income, kr(data.totals.income)]);
  summary.add([t.expense, kr(data.totals.expense)]);
  summary.add([t.net, kr(data.totals.net)]);
  summary.add([t.count, data.totals.count]);
  await summary.close(false);

  const months = sheet(t.monthly, [
    { header: t.month, width: 12, kind: 'text' },
    { header: t.income, width: 16, kind: 'money', total: true },
    { header: t.expense, width: 16, kind: 'money', total: true },
    { header: t.net, width: 16, kind: 'money', total: true },
    { header: t.count, width: 10, kind: 'count', total: true },
  ]);
  for (const m of data.trend) months.add([m.period, kr(m.income), kr(m.expense), kr(m.net), m.count]);
  await months.close();

  const categories = sheet(t.byCategory, [
    { header: t.category, width: 34, kind: 'text' },
    { header: t.income, width: 16, kind: 'money', total: true },
    { header: t.expense, width: 16, kind: 'money', total: true },
    { header: t.count, width: 10, kind: 'count', total: true },
  ]);
  for (const c of data.byCategory) categories.add([c.name, kr(c.income), kr(c.expense), c.count]);
  await categories.close();

  const suppliers = sheet(t.bySupplier, [
    { header: t.supplier, width: 34, kind: 'text' },
    { header: t.income, width: 16, kind: 'money', total: true },
    { header: t.expense, width: 16, kind: 'money', total: true },
    { header: t.count, width: 10, kind: 'count', total: true },
  ]);
  for (const s of data.bySupplier) suppliers.add([s.name, kr(s.income), kr(s.expense), s.count]);
  await suppliers.close();

  const contracts = sheet(t.contracts.slice(0, 31), [
    { header: t.contract, width: 30, kind: 'text' },
    { header: t.kind, width: 14, kind: 'text' },
    { header: t.status, width: 12, kind: 'text' },
    { header: t.perMonth, width: 14, kind: 'money', total: true },
    { header: t.perYear, width: 14, kind: 'money', total: true },
    { header: t.inPeriod, width: 16, kind: 'money', total: true },
  ]);
  for (const c of data.contracts)
    contracts.add([
      c.name,
      labelOf(c.kind, data.locale),
      labelOf(c.status, data.locale),
      kr(c.monthly),
      kr(c.yearly),
      kr(c.inPeriod),
    ]);
  await contracts.close();

  const cars = sheet(t.cars, [
    { header: t.car, width: 30, kind: 'text' },
    { header: t.total, width: 16, kind: 'money', total: true },
  ]);
  for (const c of data.cars) cars.add([`${c.name} (${c.registration})`, kr(c.total)]);
  await cars.close();

  const upcoming = sheet(t.upcoming, [
    { header: t.date, width: 12, kind: 'date' },
    { header: t.payment, width: 30, kind: 'text' },
    { header: t.amount, width: 16, kind: 'money', total: true },
  ]);
  for (const u of data.upcoming) upcoming.add([dateCell(u.date), upcomingName(u, t), kr(u.amount)]);
  await upcoming.close();

  const list = sheet(t.transactions, [
    { header: t.date, width: 12, kind: 'date' },
    { header: t.type, width: 10, kind: 'text', shared: true },
    { header: t.amount, width: 16, kind: 'money', total: true },
    { header: t.description, width: 40, kind: 'text' },
    { header: t.category, width: 28, kind: 'text', shared: true },
    { header: t.supplier, width: 24, kind: 'text', shared: true },
  ]);
  for await (const page of rows.pages()) {
    for (const r of page)
      list.add([
        dateCell(r.date),
        r.type === 'income' ? t.incomeType : t.expenseType,
        kr(r.type === 'income' ? r.amount : -r.amount),
        r.description,
        r.category,
        r.supplier,
      ]);
    progress(page.length);
    // Back-pressure: the zip is piped to `out`; while `out` is full, wait instead of piling the sheet up in memory.
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  await list.close();
  await workbook.commit();
}
