/**
 * bench/transactions-list — GET /transactions on a 100 000-transaction organization: the first page and a deep page
 * (page 50 of 50 rows, asked with the cursor a client holds after page 49) through the list endpoint's service call
 * (TransactionsService.list: filter building, keyset cursor, Mongoose lean query, view mapping), next to a raw
 * driver query for exactly the same page in the same run (same filter, sort and limit, no Mongoose). Also shows
 * what an offset (skip/limit) query for the deep page costs. Prints median times and ratios; the service should
 * stay within 2× of the raw query, and both must return the same ids.
 *
 * How to run:
 *   npm run bench:transactions-list
 *       starts (or reuses) the test services itself — the same as `node scripts/services.js up --profile test` —
 *       and stops what it started at the end
 *   BENCH_TRANSACTIONS=10000 npm run bench:transactions-list          a quick run (default 100000)
 *   MONGODB_URI='mongodb://127.0.0.1:27017/x?directConnection=true' REDIS_URL=redis://127.0.0.1:6379 \
 *     npm run bench:transactions-list                                 an existing server (a fresh database is used
 *                                                                     and dropped; the name in the URI is ignored)
 *   BENCH_RUNS=5 (default): timed runs per measurement, after one warm-up.
 *
 * Seeding goes through the bulk path the API uses (ids reserved in blocks of 1000 with reserveGlobalIds,
 * TransactionsRepository.addMany of 1000 lean records); progress is printed every 10 000. On FerretDB/SQLite,
 * which pushes down only `_id` equality, every list query scans and sorts the organization's rows, so absolute
 * times grow with N there — read the ratios; on MongoDB the `{organizationId, date, _id}` index serves both pages.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { AppModule } from '../src/app.module';
import { RequestContext, type RequestStore } from '../src/common/context/request-context';
import { loadConfig } from '../src/config/app-config';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { encodeKeysetCursor } from '../src/infrastructure/mongo/keyset';
import { TransactionsRepository } from '../src/modules/economy/transactions/transactions.repository';
import { TransactionsService } from '../src/modules/economy/transactions/transactions.service';

const TOTAL = Number(process.env.BENCH_TRANSACTIONS ?? 100_000);
const BLOCK = 1000;
const PAGE_SIZE = 50;
const DEEP_PAGE = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** Alternates the two contenders RUNS times (after one warm-up each) and returns the medians. */
async function compare<A, B>(
  a: () => Promise<A>,
  b: () => Promise<B>,
): Promise<{ a: number; b: number; av: A; bv: B }> {
  let av = (await a()) as A;
  let bv = (await b()) as B;
  const at: number[] = [];
  const bt: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const x = await time(a);
    const y = await time(b);
    at.push(x.ms);
    bt.push(y.ms);
    av = x.value;
    bv = y.value;
  }
  return { a: median(at), b: median(bt), av, bv };
}

const dateOf = (i: number) => {
  // spread over about three years, several transactions per day (ties on date exercise the _id tie-break)
  const day = new Date(Date.UTC(2023, 0, 1) + (i % 1100) * 86_400_000);
  return day.toISOString().slice(0, 10);
};

async function main(): Promise<void> {
  const svc = await services();
  const databaseName = `ww_bench_tx_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    APP_ROLE: 'api',
    LOG_LEVEL: 'silent',
    MONGODB_URI: `${svc.base}/${databaseName}?${svc.options}`,
    REDIS_URL: svc.redisUrl,
    REDIS_PREFIX: databaseName,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    UPLOADS_DIR: join(tmpdir(), `${databaseName}-uploads`),
  });
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
    const context = app.get(RequestContext);
    const ids = app.get(GlobalIdService);
    const repository = app.get(TransactionsRepository);
    const service = app.get(TransactionsService);
    const db = app.get<Connection>(getConnectionToken());
    const organizationId = await ids.getNextGlobalId();
    const store: Partial<RequestStore> = {
      tenant: { organizationId, orgRole: 'owner' },
      actor: { userId: 'A000000', platformRole: 'user' },
    };
    const inOrg = <T>(fn: () => Promise<T>) => context.run(store, fn);

    console.log(`transactions-list: seeding ${TOTAL} transactions into ${svc.base}/${databaseName}`);
    const seedStart = Date.now();
    for (let done = 0; done < TOTAL; done += BLOCK) {
      const n = Math.min(BLOCK, TOTAL - done);
      const block = await ids.reserveGlobalIds(n);
      await inOrg(() =>
        repository.addMany(
          block.map((id, k) => {
            const i = done + k;
            const date = dateOf(i);
            return {
              _id: id,
              date,
              period: date.slice(0, 7),
              amount: 100 + ((i * 7919) % 500_000),
              type: i % 10 === 0 ? ('income' as const) : ('expense' as const),
              currency: 'SEK',
              description: `Köp ${i}`,
              note: null,
              textKey: `köp ${i}`,
              supplierId: null,
              categoryId: null,
              tags: [],
              source: 'import' as const,
              bankLineId: null,
              createdBy: null,
            };
          }),
        ),
      );
      const count = done + n;
      if (count % 10_000 === 0 || count === TOTAL) {
        const s = (Date.now() - seedStart) / 1000;
        console.log(`  ${count} inserted (${s.toFixed(1)} s, ${(count / s).toFixed(0)}/s)`);
      }
    }

    const raw = db.collection<{ _id: string }>('transactions');
    const filter = { organizationId, isDeleted: false };
    const rawPage = async (after?: { date: string; id: string }) => {
      const seek: Record<string, unknown> = after
        ? { $or: [{ date: { $lt: after.date } }, { date: after.date, _id: { $lt: after.id } }] }
        : {};
      const rows = await raw
        .find({ ...filter, ...seek } as Record<string, unknown>)
        .sort({ date: -1, _id: -1 })
        .limit(PAGE_SIZE + 1)
        .toArray();
      return rows.slice(0, PAGE_SIZE).map((r) => r._id);
    };
    const servicePage = (cursor?: string) =>
      inOrg(() => service.list({}, { field: 'date', direction: -1 }, { cursor, limit: PAGE_SIZE }));

    // The cursor a client holds after reading page DEEP_PAGE - 1: the last row of that page (found once with
    // skip, so the bench does not spend its time walking 49 pages on a server that scans).
    const [lastOfPrevious] = await raw
      .find(filter)
      .sort({ date: -1, _id: -1 })
      .skip((DEEP_PAGE - 1) * PAGE_SIZE - 1)
      .limit(1)
      .toArray();
    if (!lastOfPrevious) throw new Error(`fewer than ${DEEP_PAGE} pages: raise BENCH_TRANSACTIONS`);
    const after = { date: (lastOfPrevious as unknown as { date: string }).date, id: lastOfPrevious._id };
    const deepCursor = encodeKeysetCursor({ field: 'date', direction: -1 }, after.date, after.id);

    const first = await compare(
      () => servicePage(),
      () => rawPage(),
    );
    const deep = await compare(
      () => servicePage(deepCursor),
      () => rawPage(after),
    );
    const offset = await compare(
      () => rawPage(after),
      async () =>
        (
          await raw
            .find(filter)
            .sort({ date: -1, _id: -1 })
            .skip((DEEP_PAGE - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
            .toArray()
        ).map((r) => r._id),
    );

    const same = (a: { items: { id: string }[] }, b: string[]) =>
      JSON.stringify(a.items.map((x) => x.id)) === JSON.stringify(b);
    const okFirst = same(first.av, first.bv);
    const okDeep = same(deep.av, deep.bv) && JSON.stringify(offset.av) === JSON.stringify(offset.bv);
    const r1 = first.a / first.b;
    const r2 = deep.a / deep.b;
    console.log(`transactions-list: ${TOTAL} transactions, page size ${PAGE_SIZE}, median of ${RUNS} runs`);
    console.log(
      `  first page: service ${first.a.toFixed(1)} ms, raw driver ${first.b.toFixed(1)} ms, ratio ${r1.toFixed(2)}x  ${okFirst ? 'same ids' : 'DIFFERENT IDS'}`,
    );
    console.log(
      `  page ${DEEP_PAGE} (cursor): service ${deep.a.toFixed(1)} ms, raw driver ${deep.b.toFixed(1)} ms, ratio ${r2.toFixed(2)}x  ${okDeep ? 'same ids' : 'DIFFERENT IDS'}`,
    );
    console.log(
      `  page ${DEEP_PAGE} raw: keyset ${offset.a.toFixed(1)} ms vs skip/limit ${offset.b.toFixed(1)} ms (${(offset.b / offset.a).toFixed(2)}x)`,
    );
    const pass = okFirst && okDeep && r1 <= 2 && r2 <= 2;
    console.log(`  service/raw target <= 2x: ${pass ? 'OK' : 'NOT MET'}`);
    process.exitCode = pass ? 0 : 1;
    await db.dropDatabase();
  } finally {
    await app?.close();
    await svc.stop?.();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
