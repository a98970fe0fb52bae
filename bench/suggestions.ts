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
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getConnectionToken } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createHttpApp } from '../src/bootstrap';
import { RequestContext, type RequestStore } from '../src/common/context/request-context';
import { luhnValid } from '../src/common/validation/luhn';
import { loadConfig } from '../src/config/app-config';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { ImportsService } from '../src/modules/bank/imports/imports.service';
import { BankLinesRepository, type NewBankLine } from '../src/modules/bank/lines/lines.repository';
import type { BankLineDoc } from '../src/modules/bank/lines/lines.schema';
import { MatchingService } from '../src/modules/bank/matching/matching.service';
import { BillsRepository } from '../src/modules/economy/bills/bills.repository';
import { SuppliersRepository } from '../src/modules/economy/suppliers/suppliers.repository';
import { activatePro } from '../test/helpers/billing';
import { createUser } from '../test/helpers/factories';
import { MailCatcher } from '../test/helpers/mail-catcher';
import { deleteRedisKeys, type TestApp } from '../test/helpers/test-app';

const LINES = Number(process.env.BENCH_LINES ?? 1_000);
const BILLS = Number(process.env.BENCH_BILLS ?? 2_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const SUPPLIERS = 40;
const RECOMPUTE_SAMPLE = 20;
const TARGET_P95_MS = 50;

interface Services {
  base: string;
  options: string;
  redisUrl: string;
  stop?: () => Promise<void>;
}

async function services(): Promise<Services> {
  const uri = process.env.MONGODB_URI;
  if (uri && process.env.REDIS_URL) {
    const u = new URL(uri);
    return {
      base: `${u.protocol}//${u.host}`,
      options: u.searchParams.toString(),
      redisUrl: process.env.REDIS_URL,
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../scripts/lib/services') as {
    up(profile: string): Promise<{ env: Record<string, string> }>;
    down(profile: string, options: { transientOnly: boolean }): Promise<void>;
  };
  const { env } = await lib.up('test');
  const base = uri ? `${new URL(uri).protocol}//${new URL(uri).host}` : env.TEST_MONGODB_BASE;
  const options = uri ? new URL(uri).searchParams.toString() : env.TEST_MONGODB_OPTIONS;
  return { base, options, redisUrl: env.REDIS_URL, stop: () => lib.down('test', { transientOnly: true }) };
}

/** A small seeded random source (mulberry32): the same data and the same requests every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

function ocrFor(n: number): string {
  const body = String(7_000_000 + n);
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

const dateOf = (day: number): string =>
  new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const svc = await services();
  const databaseName = `ww_bench_sugg_${randomBytes(4).toString('hex')}`;
  const mail = new MailCatcher();
  const config = loadConfig({
    NODE_ENV: 'test',
    APP_ROLE: 'all', // the sign-up's verification mail leaves through the mail queue (worker role)
    LOG_LEVEL: 'silent',
    MONGODB_URI: `${svc.base}/${databaseName}?${svc.options}`,
    REDIS_URL: svc.redisUrl,
    REDIS_PREFIX: databaseName,
    SMTP_URL: await mail.start(),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    UPLOADS_DIR: join(tmpdir(), `${databaseName}-uploads`),
    RATE_LIMIT_USER_PER_MIN: '1000000',
    RATE_LIMIT_USER_WRITES_PER_MIN: '100000',
    RATE_LIMIT_AUTH_IP_PER_MIN: '1000',
  });
  let app: NestExpressApplication | undefined;
  try {
    app = await createHttpApp(config);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const db = app.get<Connection>(getConnectionToken());
    const harness: TestApp = {
      app,
      http: request(app.getHttpServer()),
      config,
      mail,
      db,
      databaseName,
      close: () => Promise.resolve(),
    };
    const user = await createUser(harness, { name: 'Bench Bänksson' });
    const organizationId = user.organizationId;
    const headers = { ...user.auth, 'X-Organization-Id': organizationId };
    await activatePro(harness, organizationId); // a new household is on the free plan: read-only for bank data
    const account = await harness.http
      .post('/api/v1/bank/accounts')
      .set(headers)
      .send({ name: 'Bench', clearingNumber: '8327-9', accountNumber: '1234567890' });
    if (account.status !== 201) throw new Error(`POST bank/accounts: ${account.status}`);
    const bankAccountId = account.body.id as string;

    const context = app.get(RequestContext);
    const store: Partial<RequestStore> = {
      tenant: { organizationId, orgRole: 'owner' },
      actor: { userId: user.id, platformRole: 'user' },
    };
    const inOrg = <T>(fn: () => Promise<T>) => context.run(store, fn);
    const ids = app.get(GlobalIdService);
    const rnd = random(20261202);

    console.log(`suggestions: seeding ${SUPPLIERS} suppliers, ${BILLS} open bills, ${LINES} open lines`);
    const seedStart = Date.now();
    const supplierIds = await ids.reserveGlobalIds(SUPPLIERS);
    const names = supplierIds.map((_, k) => `Leverantör ${k} AB`);
    await inOrg(() =>
      app!.get(SuppliersRepository).addMany(
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
      await inOrg(() => app!.get(BillsRepository).addMany(bills.slice(i, i + 1000)));

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
      await inOrg(() => app!.get(BankLinesRepository).insertBatch(lines.slice(i, i + 200)));
    console.log(
      `  seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s; matching (the rematch job's work)…`,
    );
    const matchStart = Date.now();
    const matched = await inOrg(() => app!.get(ImportsService).matchOpenLines({}));
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
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/bank/lines/${id}/suggestions`, { headers });
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
    await db.dropDatabase();
  } finally {
    await app?.close();
    await mail.stop();
    await deleteRedisKeys(svc.redisUrl, `${databaseName}:*`).catch(() => undefined);
    await rm(join(tmpdir(), `${databaseName}-uploads`), { recursive: true, force: true });
    await svc.stop?.();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
