import type { Writable } from 'node:stream';
import { longDate, periodName } from '../common/format';
import { labelOf } from '../common/labels';
import { textsFor, upcomingName } from '../common/texts';
import type { Progress, ReportData, TransactionSource } from '../data/report-data';
import { BOM, csvLine, csvMoney, csvText } from './csv';
import { end, write } from './stream';

/**
 * The report as one CSV file for Swedish Excel: UTF-8 with BOM, `;` between cells, decimal comma, CRLF. The sections
 * follow each other (a title line, a header line, the rows, an empty line); the transaction list comes last.
 * Dates stay ISO `YYYY-MM-DD` (Excel reads them as dates in every locale).
 */
export async function renderCsv(
  data: ReportData,
  rows: TransactionSource,
  out: Writable,
  progress: Progress,
): Promise<void> {
  const t = textsFor(data.locale);
  const line = (cells: string[]) => write(out, csvLine(cells));
  const section = async (title: string, header: string[], body: string[][]) => {
    await line([csvText(title)]);
    await line(header.map(csvText));
    for (const cells of body) await line(cells);
    await write(out, '\r\n');
    progress(1);
  };
  await write(out, BOM);
  const title = `${data.kind === 'monthly' ? t.monthlyTitle : t.yearlyTitle} ${periodName(data.period, data.locale)}`;
  await section(
    title,
    [t.summary, t.amount],
    [
      [csvText(data.organizationName), ''],
      [csvText(t.generated), csvText(longDate(data.generatedOn, data.locale))],
      [csvText(t.income), csvMoney(data.totals.income)],
      [csvText(t.expense), csvMoney(data.totals.expense)],
      [csvText(t.net), csvMoney(data.totals.net)],
      [csvText(t.count), String(data.totals.count)],
    ],
  );
  await section(
    t.monthly,
    [t.month, t.income, t.expense, t.net],
    data.trend.map((m) => [m.period, csvMoney(m.income), csvMoney(m.expense), csvMoney(m.net)]),
  );
  await section(
    t.byCategory,
    [t.category, t.income, t.expense, t.count],
    data.byCategory.map((c) => [csvText(c.name), csvMoney(c.income), csvMoney(c.expense), String(c.count)]),
  );
  await section(
    t.bySupplier,
    [t.supplier, t.income, t.expense, t.count],
    data.bySupplier.map((s) => [csvText(s.name), csvMoney(s.income), csvMoney(s.expense), String(s.count)]),
  );
  await section(
    t.contracts,
    [t.contract, t.kind, t.status, t.perMonth, t.perYear, t.inPeriod],
    data.contracts.map((c) => [
      csvText(c.name),
      csvText(labelOf(c.kind, data.locale)),
      csvText(labelOf(c.status, data.locale)),
      csvMoney(c.monthly),
      csvMoney(c.yearly),
      csvMoney(c.inPeriod),
    ]),
  );
  await section(
    t.cars,
    [t.car, t.total],
    data.cars.map((c) => [csvText(`${c.name} (${c.registration})`), csvMoney(c.total)]),
  );
  await section(
    t.upcoming,
    [t.date, t.payment, t.amount],
    data.upcoming.map((u) => [u.date, csvText(upcomingName(u, t)), csvMoney(u.amount)]),
  );
  await line([csvText(t.transactions)]);
  await line([t.date, t.type, t.amount, t.description, t.category, t.supplier].map(csvText));
  for await (const page of rows.pages()) {
    let chunk = '';
    for (const r of page)
      chunk += csvLine([
        r.date,
        csvText(r.type === 'income' ? t.incomeType : t.expenseType),
        csvMoney(r.type === 'income' ? r.amount : -r.amount),
        csvText(r.description),
        csvText(r.category),
        csvText(r.supplier),
      ]);
    await write(out, chunk);
    progress(page.length);
  }
  await end(out);
}
