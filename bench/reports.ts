/**
 * Report files at scale: an Excel workbook (exceljs streaming writer) of 100 000 transactions against the CSV of the
 * same rows (the baseline, measured in the same run, alternating). Goal: XLSX ≤ 4× the CSV's time, memory below
 * 300 MB (peak RSS and heap sampled every 10 ms while rendering). Pure CPU and disk: the rows are generated page by
 * page as the database would hand them over (pages of 1 000), so no database is involved.
 *
 *   npm run bench:reports            (ROWS=100000 RUNS=5 by default; with --expose-gc, so each render starts after a collection)
 */
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ReportData,
  ReportTransaction,
  TransactionSource,
} from '../src/modules/reports/data/report-data';
import { renderCsv } from '../src/modules/reports/render/csv.renderer';
import { renderXlsx } from '../src/modules/reports/render/xlsx.renderer';
import { run } from './lib/run';
import { median, time, withPeak } from './lib/timing';

const ROWS = Number(process.env.ROWS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 5);
const PAGE = 1000;
const MB = 1024 * 1024;

const CATEGORIES = ['Mat > Livsmedel', 'Boende > Hyra', 'Transport > Drivmedel', 'Nöje > Streaming', 'Lön'];
const SUPPLIERS = ['ICA Kvantum Åre', 'Vattenfall', 'Circle K', 'Spotify', ''];

function rows(count: number): TransactionSource {
  return {
    count,
    async *pages() {
      for (let start = 0; start < count; start += PAGE) {
        const page: ReportTransaction[] = [];
        for (let i = start; i < Math.min(count, start + PAGE); i += 1)
          page.push({
            id: `A${String(100000 + i)}`,
            date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
            type: i % 9 === 0 ? 'income' : 'expense',
            amount: 1_000 + ((i * 7_919) % 250_000),
            description: `Kortköp ${i} – Göteborg`,
            category: CATEGORIES[i % CATEGORIES.length],
            supplier: SUPPLIERS[i % SUPPLIERS.length],
          });
        await Promise.resolve();
        yield page;
      }
    },
  };
}

const data: ReportData = {
  kind: 'yearly',
  period: '2026',
  from: '2026-01-01',
  to: '2026-12-31',
  generatedOn: '2026-12-02',
  organizationName: 'Bench AB',
  locale: 'sv',
  currency: 'SEK',
  filters: { categories: [], accounts: [] },
  totals: { income: 0, expense: 0, net: 0, count: ROWS },
  trend: Array.from({ length: 12 }, (_, m) => ({
    period: `2026-${String(m + 1).padStart(2, '0')}`,
    income: 4_000_000,
    expense: 3_000_000,
    net: 1_000_000,
    count: ROWS / 12,
  })),
  byCategory: CATEGORIES.map((name) => ({
    id: null,
    name,
    income: 0,
    expense: 1,
    net: -1,
    count: 1,
    share: 0.2,
  })),
  expenseShares: [],
  bySupplier: [],
  contracts: [],
  cars: [],
  upcoming: [],
};

async function once(
  format: 'csv' | 'xlsx',
): Promise<{ ms: number; bytes: number; rss: number; heap: number }> {
  const file = join(tmpdir(), `bench-report-${process.pid}.${format}`);
  (globalThis as { gc?: () => void }).gc?.();
  const measured = await withPeak(() =>
    time(() =>
      (format === 'csv' ? renderCsv : renderXlsx)(data, rows(ROWS), createWriteStream(file), () => undefined),
    ),
  );
  const bytes = (await stat(file)).size;
  await rm(file, { force: true });
  return { ms: measured.value.ms, bytes, rss: measured.rss, heap: measured.heap };
}

run(async () => {
  console.log(`Report files: ${ROWS} transactions, ${RUNS} runs each (alternating), after one warm-up each`);
  const idle = process.memoryUsage().rss;
  await once('csv');
  await once('xlsx');
  const csv: Awaited<ReturnType<typeof once>>[] = [];
  const xlsx: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    csv.push(await once('csv'));
    xlsx.push(await once('xlsx'));
  }
  const csvMs = median(csv.map((r) => r.ms));
  const xlsxMs = median(xlsx.map((r) => r.ms));
  const peakRss = Math.max(...xlsx.map((r) => r.rss), ...csv.map((r) => r.rss));
  const peakHeap = Math.max(...xlsx.map((r) => r.heap), ...csv.map((r) => r.heap));
  const xlsxHeap = Math.max(...xlsx.map((r) => r.heap));
  const csvHeap = Math.max(...csv.map((r) => r.heap));
  const ratio = xlsxMs / csvMs;
  console.log(`  CSV  (baseline): ${csvMs.toFixed(0)} ms median, ${(csv[0].bytes / MB).toFixed(1)} MB file`);
  console.log(
    `  XLSX           : ${xlsxMs.toFixed(0)} ms median, ${(xlsx[0].bytes / MB).toFixed(1)} MB file`,
  );
  console.log(`  XLSX / CSV     : ${ratio.toFixed(2)}× (goal ≤ 4×)  ${ratio <= 4 ? 'PASS' : 'FAIL'}`);
  console.log(
    `  peak memory    : RSS ${(peakRss / MB).toFixed(0)} MB (the process before rendering: ${(idle / MB).toFixed(0)} MB, ts-node's compiler included), heap ${(peakHeap / MB).toFixed(0)} MB — XLSX ${(xlsxHeap / MB).toFixed(0)} MB, CSV ${(csvHeap / MB).toFixed(0)} MB (goal < 300 MB)  ${peakRss < 300 * MB ? 'PASS' : 'FAIL'}`,
  );
  if (ratio > 4 || peakRss >= 300 * MB) process.exitCode = 1;
});
