/**
 * bench/suggestions — `GET /api/v1/bank/lines/{id}/suggestions` on the review screen's worst case: an organization
 * with 1 000 open bank lines and 2 000 open bills, on the embedded default (the test profile's FerretDB on
 * PostgreSQL), through the whole production path: HTTP on a real port (Node's fetch, keep-alive), a real access token
 * (a user registered, verified and signed in through the API), the JWT guard, rate limiter, organization guard, the
 * service (the line and the organization's matching generation: two reads) and the JSON of the stored suggestions —
 * next to the raw driver `findOne` of the same line in the same run (the least any implementation must do).
 *
 * Seeding: suppliers and bills through the economy repositories' bulk path, lines through the import's insert path,
 * then the real rematch (`ImportsService.matchOpenLines`, what the `bank.match` job runs) computes and stores every
 * line's suggestions once. The GET is then timed for BENCH_REQUESTS lines (random, seeded), alternating with the raw
 * read; p50 / p95 of both and the ratio are printed. Target: p95 ≤ 50 ms. The run also checks that the GETs changed
 * nothing (the lines' and the generation's documents before and after) and that a line's suggestions are not empty.
 * For scale it also times, on a few lines, what the GET did before: recompute the line's candidates and write them.
 * Exit code 1 when a target or a check fails.
 *
 * How to run:
 *   npm run bench:suggestions
 *       starts (or reuses) the test services itself — the same as `node scripts/services.js up --profile test` —
 *       and stops what it started at the end
 *   MONGODB_URI='mongodb://127.0.0.1:27017/x?directConnection=true' REDIS_URL=redis://127.0.0.1:6379 \
 *     npm run bench:suggestions                                       an existing server (fresh database, dropped)
 *   BENCH_LINES=1000 BENCH_BILLS=2000 BENCH_REQUESTS=400 (defaults)
 */
import { seededRandom } from '../src/common/seeded-random';
import { luhnValid } from '../src/common/validation/luhn';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { ImportsService } from '../src/modules/bank/imports/imports.service';
import { BankLinesRepository, type NewBankLine } from '../src/modules/bank/lines/lines.repository';
import type { BankLineDoc } from '../src/modules/bank/lines/lines.schema';
import { MatchingService } from '../src/modules/bank/matching/matching.service';
import { BillsRepository } from '../src/modules/economy/bills/bills.repository';
import { SuppliersRepository } from '../src/modules/economy/suppliers/suppliers.repository';
import { percentile, startBenchApp, time } from './lib/harness';
import { run } from './lib/run';

const LINES = Number(process.env.BENCH_LINES ?? 1_000);
const BILLS = Number(process.env.BENCH_BILLS ?? 2_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const SUPPLIERS = 40;
const RECOMPUTE_SAMPLE = 20;
const TARGET_P95_MS = 50;

function ocrFor(n: number): string {
  const body = String(7_000_000 + n);
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

const dateOf = (day: number): string =>
  new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  // A new household is on the free plan (read-only for bank data): the harness puts it on Pro.
  const b = await startBenchApp('sugg');
  try {
    const { app, db, headers, inOrg } = b;
    const organizationId = b.user.organizationId;
    const account = await b.http
      .post('/api/v1/bank/accounts')
      .set(headers)
      .send({ name: 'Bench', clearingNumber: '8327-9', accountNumber: '1234567890' });
    if (account.status !== 201) throw new Error(`POST bank/accounts: ${account.status}`);
    const bankAccountId = account.body.id as string;

    const ids = app.get(GlobalIdService);
    const rnd = seededRandom(20261202);

    console.log(`suggestions: seeding ${SUPPLIERS} suppliers, ${BILLS} open bills, ${LINES} open lines`);
    const seedStart = Date.now();
    const supplierIds = await ids.reserveGlobalIds(SUPPLIERS);
    const names = supplierIds.map((_, k) => `Leverantör ${k} AB`);
    await inOrg(() =>
      app.get(SuppliersRepository).addMany(
        supplierIds.map((id, k) => ({
          _id: id,
          name: names[k],
          nameKey: names[k].toLowerCase(),
          orgNumber: null,
          bankgiro: null,
          plusgiro: null,
          aliases: [`leverantor ${k}`],
          searchKeys: [names[k].toLowerCase()],
          defaultCategoryId: null,
          ocrLengthDigit: false,
          createdBy: null,
        })),
      ),
    );
    const billIds = await ids.reserveGlobalIds(BILLS);
    const bills = billIds.map((id, i) => {
      const supplier = i % SUPPLIERS;
      const dueDate = dateOf(Math.floor(rnd() * 150));
      // Common amounts repeat (subscriptions): the amount buckets hold several bills, as real data does.
      const amount = (99 + Math.floor(rnd() * 400)) * 100 + (i % 3 === 0 ? 0 : Math.floor(rnd() * 100));
      return {
        _id: id,
        supplierId: supplierIds[supplier],
        invoiceNumber: `F${i}`,
        invoiceKey: `${supplierIds[supplier]}|F${i}`,
        ocr: i % 2 === 0 ? ocrFor(i) : null,
        amount,
        currency: 'SEK',
        dueDate,
        period: dueDate.slice(0, 7),
        status: 'open' as const,
        paidAt: null,
        bankLineId: null,
        categoryId: null,
        description: null,
        createdBy: null,
      };
    });
    for (let i = 0; i < bills.length; i += 1000)
      await inOrg(() => app.get(BillsRepository).addMany(bills.slice(i, i + 1000)));

    const lineIds = await ids.reserveGlobalIds(LINES);
    const lines: NewBankLine[] = lineIds.map((id, i) => {
      // Most lines pay a bill (by OCR, or by amount and name); some are card purchases with no bill.
      const bill = bills[Math.floor(rnd() * bills.length)];
      const kind = i % 10;
      const date = kind < 8 ? bill.dueDate : dateOf(Math.floor(rnd() * 150));
      const amount = kind < 8 ? -bill.amount : -(1000 + Math.floor(rnd() * 50_000));
      const text = kind < 4 && bill.ocr ? `BG ${bill.ocr}` : kind < 8 ? names[i % SUPPLIERS] : `KORTKÖP ${i}`;
      return {
        _id: id,
        bankAccountId,
        importId: 'bench',
        lineNo: i + 1,
        bookingDate: date,
        valueDate: date,
        period: date.slice(0, 7),
        amount,
        currency: 'SEK',
        text,
        reference: kind < 4 ? bill.ocr : null,
        counterpartyName: kind < 8 ? names[i % SUPPLIERS].toUpperCase() : null,
        bankReference: `BENCH-${i}`,
        endToEndId: null,
        balance: null,
        searchText: text.toLowerCase(),
        dedupKey: `bench-${i}`,
        status: 'unmatched',
        generation: 0,
        suggestions: [],
        suggestedAt: null,
        suggestionsGeneration: null,
        matchId: null,
        voucherId: null,
        ignored: null,
      };
    });
    for (let i = 0; i < lines.length; i += 200)
      await inOrg(() => app.get(BankLinesRepository).insertBatch(lines.slice(i, i + 200)));
    console.log(
      `  seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s; matching (the rematch job's work)…`,
    );
    const matchStart = Date.now();
    const matched = await inOrg(() => app.get(ImportsService).matchOpenLines({}));
    console.log(
      `  matched in ${((Date.now() - matchStart) / 1000).toFixed(1)} s: ${matched.suggested} lines with a suggestion`,
    );

    const rawLines = db.collection<{ _id: string }>('bank_lines');
    const snapshot = async () =>
      JSON.stringify([
        await rawLines
          .find({ organizationId } as Record<string, unknown>)
          .sort({ _id: 1 })
          .toArray(),
        await db.collection('bank_matching_state').find({}).toArray(),
      ]);
    const before = await snapshot();

    const pick = Array.from({ length: REQUESTS }, () => lineIds[Math.floor(rnd() * lineIds.length)]);
    const get = async (id: string) => {
      const res = await b.fetch(`/bank/lines/${id}/suggestions`);
      const body: unknown = await res.json();
      if (res.status !== 200 || !Array.isArray(body))
        throw new Error(`GET suggestions: ${res.status} ${JSON.stringify(body)}`);
      return { body: body as { candidate: { id: string } }[], stale: res.headers.get('x-suggestions-stale') };
    };
    const raw = (id: string) => rawLines.findOne({ _id: id, organizationId } as Record<string, unknown>);
    // Warm-up: connections, JIT, the guards' caches.
    for (const id of pick.slice(0, 30)) {
      await get(id);
      await raw(id);
    }
    const httpMs: number[] = [];
    const rawMs: number[] = [];
    let nonEmpty = 0;
    let stale = 0;
    for (const id of pick) {
      const h = await time(() => get(id));
      const r = await time(() => raw(id));
      httpMs.push(h.ms);
      rawMs.push(r.ms);
      if (h.value.body.length) nonEmpty++;
      if (h.value.stale !== 'false') stale++;
    }
    const after = await snapshot();
    const unchanged = before === after;

    // For scale: what the GET did before stored suggestions — recompute the line's candidates and write them back
    // (MatchingService.suggestionsFor, still what a reject runs), on a few lines, after the checks above.
    const matching = app.get(MatchingService);
    const recomputeMs: number[] = [];
    for (const id of pick.slice(0, RECOMPUTE_SAMPLE)) {
      const line = await rawLines.findOne({ _id: id, organizationId } as Record<string, unknown>);
      recomputeMs.push(
        (await time(() => inOrg(() => matching.suggestionsFor(line as unknown as BankLineDoc)))).ms,
      );
    }

    const p95 = percentile(httpMs, 95);
    const rawP95 = percentile(rawMs, 95);
    console.log(
      `suggestions: ${LINES} open lines, ${BILLS} open bills, ${REQUESTS} GETs (random lines), alternating with the raw read`,
    );
    console.log(
      `  GET /bank/lines/{id}/suggestions over HTTP: p50 ${percentile(httpMs, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...httpMs).toFixed(1)} ms`,
    );
    console.log(
      `  raw driver findOne of the line:             p50 ${percentile(rawMs, 50).toFixed(1)} ms, p95 ${rawP95.toFixed(1)} ms`,
    );
    console.log(
      `  ratio HTTP / raw: p50 ${(percentile(httpMs, 50) / percentile(rawMs, 50)).toFixed(2)}x, p95 ${(p95 / rawP95).toFixed(2)}x`,
    );
    console.log(
      `  recomputing one line's suggestions (the GET before this change), ${RECOMPUTE_SAMPLE} lines: p50 ${percentile(recomputeMs, 50).toFixed(1)} ms, p95 ${percentile(recomputeMs, 95).toFixed(1)} ms`,
    );
    console.log(
      `  ${nonEmpty}/${REQUESTS} answers with suggestions, ${stale} marked stale; documents ${unchanged ? 'unchanged by the GETs' : 'CHANGED BY THE GETS'}`,
    );
    const pass = p95 <= TARGET_P95_MS && unchanged && nonEmpty > 0 && stale === 0;
    console.log(`  p95 target <= ${TARGET_P95_MS} ms: ${pass ? 'OK' : 'NOT MET'}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await b.close();
  }
}

run(main);
