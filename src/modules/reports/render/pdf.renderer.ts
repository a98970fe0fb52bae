import PDFDocument from 'pdfkit';
import type { Writable } from 'node:stream';
import {
  kronor,
  longDate,
  money,
  percent,
  periodName,
  shortMonth,
  type ReportLocale,
} from '../common/format';
import { labelOf } from '../common/labels';
import { textsFor, upcomingName, type ReportTexts } from '../common/texts';
import type { Progress, ReportData } from '../data/report-data';

/*
 * The report as a PDF (pdfkit): a title page, then the sections with tables and charts drawn as vectors (paths,
 * not images). Text uses pdfkit's standard Helvetica, whose WinAnsi encoding has å ä ö Å Ä Ö é ü (checked by the
 * e2e test, which extracts the text again with pdfjs); no font file to ship. Page numbers are written last on the
 * buffered pages. The transaction list is not in the PDF (the spreadsheet formats carry it): a PDF of a year's
 * thousands of rows helps nobody read a report.
 */

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const CONTENT = A4.width - 2 * MARGIN;
const COLORS = {
  ink: '#1d2733',
  muted: '#5f6b7a',
  line: '#d5dbe3',
  zebra: '#f3f6f9',
  income: '#2e7d5b',
  expense: '#c0504d',
  net: '#2f5d8a',
  accent: '#2f5d8a',
};
/** Category colours of the share chart (the rest is grey). */
const PALETTE = ['#2f5d8a', '#c0504d', '#e0a030', '#2e7d5b', '#7a5195', '#3a9ab0', '#d46a8f', '#8c8c3a'];
const SHARE_SLICES = 7;

type Doc = PDFKit.PDFDocument;
type Align = 'left' | 'right';
interface Column {
  header: string;
  width: number;
  align?: Align;
}

function heading(doc: Doc, text: string): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(15).fillColor(COLORS.ink).text(text, MARGIN, doc.y, { width: CONTENT });
  const y = doc.y + 3;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT, y)
    .lineWidth(1)
    .strokeColor(COLORS.accent)
    .stroke();
  doc.y = y + 8;
  doc.font('Helvetica').fontSize(10).fillColor(COLORS.ink);
}

/** A new page when fewer than `height` points are left above the bottom margin. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > A4.height - MARGIN - 20) {
    doc.addPage();
    doc.y = MARGIN;
  }
}

/** A table with a bold header (repeated after a page break), zebra rows and right-aligned amounts. */
function table(doc: Doc, columns: Column[], rows: string[][], options: { totals?: string[] } = {}): void {
  const rowHeight = 17;
  const scale = CONTENT / columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => c.width * scale);
  const drawRow = (cells: string[], style: 'header' | 'row' | 'total', index: number) => {
    ensureSpace(doc, rowHeight + (style === 'header' ? rowHeight : 0));
    const y = doc.y;
    if (style === 'header') doc.rect(MARGIN, y, CONTENT, rowHeight).fill(COLORS.accent);
    else if (style === 'row' && index % 2 === 1) doc.rect(MARGIN, y, CONTENT, rowHeight).fill(COLORS.zebra);
    if (style === 'total')
      doc
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + CONTENT, y)
        .lineWidth(0.8)
        .strokeColor(COLORS.ink)
        .stroke();
    doc
      .font(style === 'row' ? 'Helvetica' : 'Helvetica-Bold')
      .fontSize(9)
      .fillColor(style === 'header' ? '#ffffff' : COLORS.ink);
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cell, x + 4, y + 4.5, {
        width: widths[i] - 8,
        align: columns[i]?.align ?? 'left',
        lineBreak: false,
        ellipsis: true,
        height: rowHeight,
      });
      x += widths[i];
    });
    doc.y = y + rowHeight;
  };
  const header = () =>
    drawRow(
      columns.map((c) => c.header),
      'header',
      0,
    );
  header();
  rows.forEach((cells, i) => {
    if (doc.y + rowHeight > A4.height - MARGIN - 20) {
      doc.addPage();
      doc.y = MARGIN;
      header();
    }
    drawRow(cells, 'row', i);
  });
  if (options.totals) drawRow(options.totals, 'total', 0);
  doc.x = MARGIN;
  doc.moveDown(0.5);
}

function note(doc: Doc, text: string): void {
  doc
    .font('Helvetica-Oblique')
    .fontSize(9)
    .fillColor(COLORS.muted)
    .text(text, MARGIN, doc.y, { width: CONTENT });
  doc.moveDown(0.5);
  doc.font('Helvetica').fillColor(COLORS.ink);
}

/** A "nice" axis maximum: 1, 2, 2.5 or 5 times a power of ten, at least `value`. */
function niceMax(value: number): number {
  if (value <= 0) return 100;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function legend(doc: Doc, items: { label: string; color: string }[], x: number, y: number): void {
  let cx = x;
  doc.font('Helvetica').fontSize(8.5);
  for (const item of items) {
    doc.rect(cx, y + 1, 9, 9).fill(item.color);
    doc.fillColor(COLORS.ink).text(item.label, cx + 13, y + 1.5, { lineBreak: false });
    cx += 13 + doc.widthOfString(item.label) + 16;
  }
}

/** Income and expense bars per month, with a grid and the axis in whole kronor. */
function monthlyBars(doc: Doc, data: ReportData, t: ReportTexts): void {
  const height = 200;
  ensureSpace(doc, height + 40);
  const top = doc.y + 6;
  const left = MARGIN + 58;
  const width = CONTENT - 58;
  const max = niceMax(Math.max(...data.trend.map((m) => Math.max(m.income, m.expense))));
  const plotHeight = height - 30;
  doc.font('Helvetica').fontSize(7.5);
  for (let i = 0; i <= 4; i += 1) {
    const y = top + plotHeight - (plotHeight * i) / 4;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(COLORS.line)
      .stroke();
    doc.fillColor(COLORS.muted).text(kronor((max * i) / 4, data.locale), MARGIN - 4, y - 3.5, {
      width: 58,
      align: 'right',
      lineBreak: false,
    });
  }
  const slot = width / data.trend.length;
  const bar = Math.min(14, slot / 3);
  data.trend.forEach((m, i) => {
    const x = left + i * slot + slot / 2 - bar;
    const hi = (plotHeight * m.income) / max;
    const he = (plotHeight * m.expense) / max;
    if (hi > 0) doc.rect(x, top + plotHeight - hi, bar, hi).fill(COLORS.income);
    if (he > 0) doc.rect(x + bar, top + plotHeight - he, bar, he).fill(COLORS.expense);
    doc
      .fillColor(COLORS.muted)
      .fontSize(7.5)
      .text(
        shortMonth(m.period, data.locale, i === 0 || m.period.endsWith('-01')),
        left + i * slot,
        top + plotHeight + 4,
        {
          width: slot,
          align: 'center',
          lineBreak: false,
        },
      );
  });
  legend(
    doc,
    [
      { label: t.income, color: COLORS.income },
      { label: t.expense, color: COLORS.expense },
    ],
    left,
    top + plotHeight + 16,
  );
  doc.y = top + height + 4;
  doc.x = MARGIN;
}

/** The net of each month as a line over the 12 months, with a zero line when it crosses zero. */
function trendLine(doc: Doc, data: ReportData, t: ReportTexts): void {
  const height = 150;
  ensureSpace(doc, height + 30);
  const top = doc.y + 6;
  const left = MARGIN + 58;
  const width = CONTENT - 58;
  const plotHeight = height - 30;
  const values = data.trend.map((m) => m.net);
  const hi = niceMax(Math.max(0, ...values));
  const lo = Math.min(0, ...values) < 0 ? -niceMax(-Math.min(...values)) : 0;
  const yOf = (v: number) => top + plotHeight - ((v - lo) / (hi - lo)) * plotHeight;
  doc.font('Helvetica').fontSize(7.5);
  for (const v of lo < 0 ? [lo, 0, hi] : [0, hi / 2, hi]) {
    doc
      .moveTo(left, yOf(v))
      .lineTo(left + width, yOf(v))
      .lineWidth(v === 0 ? 0.9 : 0.5)
      .strokeColor(v === 0 ? COLORS.muted : COLORS.line)
      .stroke();
    doc.fillColor(COLORS.muted).text(kronor(v, data.locale), MARGIN - 4, yOf(v) - 3.5, {
      width: 58,
      align: 'right',
      lineBreak: false,
    });
  }
  const step = width / Math.max(1, values.length - 1);
  values.forEach((v, i) => {
    const x = left + i * step;
    if (i === 0) doc.moveTo(x, yOf(v));
    else doc.lineTo(x, yOf(v));
  });
  doc.lineWidth(2).strokeColor(COLORS.net).stroke();
  values.forEach((v, i) => doc.circle(left + i * step, yOf(v), 2.6).fill(COLORS.net));
  data.trend.forEach((m, i) =>
    doc
      .fillColor(COLORS.muted)
      .fontSize(7.5)
      .text(
        shortMonth(m.period, data.locale, i === 0 || m.period.endsWith('-01')),
        left + i * step - 20,
        top + plotHeight + 4,
        {
          width: 40,
          align: 'center',
          lineBreak: false,
        },
      ),
  );
  legend(doc, [{ label: t.net, color: COLORS.net }], left, top + plotHeight + 16);
  doc.y = top + height + 4;
  doc.x = MARGIN;
}

/** Expense shares as a pie (SVG arc paths) with a legend of names, amounts and percentages. */
function shareChart(doc: Doc, data: ReportData, t: ReportTexts): void {
  const shares = data.expenseShares;
  if (shares.length === 0) return;
  const slices = shares.slice(0, SHARE_SLICES);
  const rest = shares.slice(SHARE_SLICES).reduce((s, x) => s + x.amount, 0);
  const total = shares.reduce((s, x) => s + x.amount, 0);
  if (rest > 0) slices.push({ name: t.other, amount: rest, share: rest / total });
  const radius = 75;
  ensureSpace(doc, 2 * radius + 20);
  const cx = MARGIN + radius + 10;
  const cy = doc.y + radius + 8;
  let angle = -Math.PI / 2;
  slices.forEach((s, i) => {
    const color = i < SHARE_SLICES ? PALETTE[i % PALETTE.length] : '#a0a7b0';
    const sweep = (s.amount / total) * 2 * Math.PI;
    if (sweep >= 2 * Math.PI - 1e-6) doc.circle(cx, cy, radius).fill(color);
    else if (sweep > 0) {
      const x1 = cx + radius * Math.cos(angle);
      const y1 = cy + radius * Math.sin(angle);
      const x2 = cx + radius * Math.cos(angle + sweep);
      const y2 = cy + radius * Math.sin(angle + sweep);
      doc
        .path(
          `M ${cx} ${cy} L ${x1} ${y1} A ${radius} ${radius} 0 ${sweep > Math.PI ? 1 : 0} 1 ${x2} ${y2} Z`,
        )
        .fill(color);
    }
    angle += sweep;
    const ly = cy - radius + i * 19;
    const lx = cx + radius + 30;
    doc.rect(lx, ly + 1, 10, 10).fill(color);
    doc.font('Helvetica').fontSize(9).fillColor(COLORS.ink);
    doc.text(s.name, lx + 16, ly + 2, { width: 150, lineBreak: false, ellipsis: true });
    doc.text(money(s.amount, data.locale), lx + 166, ly + 2, { width: 90, align: 'right', lineBreak: false });
    doc.text(percent(s.share, data.locale), lx + 258, ly + 2, {
      width: 45,
      align: 'right',
      lineBreak: false,
    });
  });
  doc.y = cy + Math.max(radius, slices.length * 19 - radius) + 14;
  doc.x = MARGIN;
}

function titlePage(doc: Doc, data: ReportData, t: ReportTexts): void {
  const loc: ReportLocale = data.locale;
  doc.rect(0, 0, A4.width, 230).fill(COLORS.accent);
  doc.font('Helvetica').fontSize(12).fillColor('#dce6f0').text('WestWallet', MARGIN, 70);
  doc
    .font('Helvetica-Bold')
    .fontSize(30)
    .fillColor('#ffffff')
    .text(data.kind === 'monthly' ? t.monthlyTitle : t.yearlyTitle, MARGIN, 100);
  doc.font('Helvetica').fontSize(20).text(periodName(data.period, loc), MARGIN, 145);
  doc.fontSize(12).fillColor('#dce6f0').text(data.organizationName, MARGIN, 182, { width: CONTENT });
  doc.fillColor(COLORS.ink).font('Helvetica').fontSize(11);
  doc.text(`${longDate(data.from, loc)} – ${longDate(data.to, loc)}`, MARGIN, 270);
  doc.text(`${t.generated}: ${longDate(data.generatedOn, loc)}`, MARGIN, doc.y + 4);
  const filters = [
    data.filters.categories.length
      ? `${t.categories}: ${data.filters.categories.join(', ')}`
      : t.allCategories,
    ...(data.filters.accounts.length ? [`${t.accounts}: ${data.filters.accounts.join(', ')}`] : []),
  ];
  doc.text(`${t.filters}: ${filters.join('; ')}`, MARGIN, doc.y + 4, { width: CONTENT });

  // The three key figures in boxes.
  const boxes = [
    { label: t.income, value: data.totals.income, color: COLORS.income },
    { label: t.expense, value: data.totals.expense, color: COLORS.expense },
    { label: t.net, value: data.totals.net, color: COLORS.net },
  ];
  const top = doc.y + 30;
  const gap = 14;
  const w = (CONTENT - 2 * gap) / 3;
  boxes.forEach((b, i) => {
    const x = MARGIN + i * (w + gap);
    doc.roundedRect(x, top, w, 74, 6).lineWidth(1).strokeColor(COLORS.line).stroke();
    doc.rect(x, top, 5, 74).fill(b.color);
    doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor(COLORS.muted)
      .text(b.label, x + 16, top + 14, { width: w - 24 });
    doc
      .font('Helvetica-Bold')
      .fontSize(15)
      .fillColor(COLORS.ink)
      .text(money(b.value, loc), x + 16, top + 36, { width: w - 24, lineBreak: false });
  });
  doc.font('Helvetica').fontSize(10).fillColor(COLORS.muted);
  doc.text(`${t.transactions}: ${data.totals.count}`, MARGIN, top + 92);
  doc.text(t.currencyNote, MARGIN, doc.y + 4);
}

/** Renders the PDF into `out` (ended when done). */
export async function renderPdf(data: ReportData, out: Writable, progress: Progress): Promise<void> {
  const t = textsFor(data.locale);
  const loc = data.locale;
  const title = `${data.kind === 'monthly' ? t.monthlyTitle : t.yearlyTitle} ${periodName(data.period, loc)}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: title, Author: 'WestWallet', Subject: data.organizationName, Creator: 'WestWallet' },
    lang: loc === 'sv' ? 'sv-SE' : 'en-GB',
    displayTitle: true,
  });
  doc.pipe(out);
  titlePage(doc, data, t);
  progress(1);

  doc.addPage();
  heading(doc, t.monthly);
  monthlyBars(doc, data, t);
  heading(doc, t.trend);
  trendLine(doc, data, t);
  table(
    doc,
    [
      { header: t.month, width: 2 },
      { header: t.income, width: 2, align: 'right' },
      { header: t.expense, width: 2, align: 'right' },
      { header: t.net, width: 2, align: 'right' },
      { header: t.count, width: 1, align: 'right' },
    ],
    data.trend.map((m) => [
      periodName(m.period, loc),
      money(m.income, loc),
      money(m.expense, loc),
      money(m.net, loc),
      String(m.count),
    ]),
  );
  progress(1);

  heading(doc, t.expenseShare);
  if (data.expenseShares.length) shareChart(doc, data, t);
  else note(doc, t.nothing);
  heading(doc, t.byCategory);
  if (data.byCategory.length)
    table(
      doc,
      [
        { header: t.category, width: 4 },
        { header: t.income, width: 2, align: 'right' },
        { header: t.expense, width: 2, align: 'right' },
        { header: t.share, width: 1.2, align: 'right' },
        { header: t.count, width: 1, align: 'right' },
      ],
      data.byCategory.map((c) => [
        c.name,
        money(c.income, loc),
        money(c.expense, loc),
        percent(c.share, loc),
        String(c.count),
      ]),
      {
        totals: [
          t.total,
          money(data.totals.income, loc),
          money(data.totals.expense, loc),
          '',
          String(data.totals.count),
        ],
      },
    );
  else note(doc, t.nothing);
  progress(1);

  heading(doc, t.bySupplier);
  if (data.bySupplier.length)
    table(
      doc,
      [
        { header: t.supplier, width: 4 },
        { header: t.income, width: 2, align: 'right' },
        { header: t.expense, width: 2, align: 'right' },
        { header: t.count, width: 1, align: 'right' },
      ],
      data.bySupplier.map((s) => [s.name, money(s.income, loc), money(s.expense, loc), String(s.count)]),
    );
  else note(doc, t.nothing);
  progress(1);

  heading(doc, t.contracts);
  if (data.contracts.length)
    table(
      doc,
      [
        { header: t.contract, width: 3.4 },
        { header: t.kind, width: 1.6 },
        { header: t.perMonth, width: 1.8, align: 'right' },
        { header: t.perYear, width: 1.9, align: 'right' },
        { header: t.inPeriod, width: 1.9, align: 'right' },
      ],
      data.contracts.map((c) => [
        c.name,
        labelOf(c.kind, loc),
        money(c.monthly, loc),
        money(c.yearly, loc),
        money(c.inPeriod, loc),
      ]),
      {
        totals: [
          t.total,
          '',
          money(
            data.contracts.reduce((s, c) => s + c.monthly, 0),
            loc,
          ),
          money(
            data.contracts.reduce((s, c) => s + c.yearly, 0),
            loc,
          ),
          money(
            data.contracts.reduce((s, c) => s + c.inPeriod, 0),
            loc,
          ),
        ],
      },
    );
  else note(doc, t.nothing);
  progress(1);

  heading(doc, t.cars);
  if (data.cars.length)
    table(
      doc,
      [
        { header: t.car, width: 3.5 },
        { header: t.costTypes, width: 4.5 },
        { header: t.total, width: 2, align: 'right' },
      ],
      data.cars.map((c) => [
        `${c.name} (${c.registration})`,
        c.byType
          .slice(0, 3)
          .map((b) => `${labelOf(b.type, loc)} ${kronor(b.cost, loc)}`)
          .join(', '),
        money(c.total, loc),
      ]),
    );
  else note(doc, t.nothing);
  progress(1);

  heading(doc, t.upcoming);
  if (data.upcoming.length)
    table(
      doc,
      [
        { header: t.date, width: 2.4 },
        { header: t.payment, width: 5 },
        { header: t.amount, width: 2.2, align: 'right' },
      ],
      data.upcoming.map((u) => [longDate(u.date, loc), upcomingName(u, t), money(u.amount, loc)]),
    );
  else note(doc, t.nothing);
  progress(1);

  // Page numbers on every page, written into the bottom margin (margins lifted so no page is added).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor(COLORS.muted)
      .text(t.page(i + 1, range.count), MARGIN, A4.height - 32, {
        width: CONTENT,
        align: 'right',
        lineBreak: false,
      });
    if (i > range.start)
      doc.text(title, MARGIN, A4.height - 32, { width: CONTENT / 2, align: 'left', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.flushPages();
  doc.end();
  await new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
}

/** PDF steps reported as progress (sections). */
export const PDF_STEPS = 7;
