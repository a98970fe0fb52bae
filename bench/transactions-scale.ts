/**
 * bench/transactions-scale — how far the embedded FerretDB default carries: `GET /api/v1/transactions` over HTTP at
 * 1 000, 10 000 and 100 000 transactions, on FerretDB 1.24 with its SQLite and its PostgreSQL backend.
 *
 * For each backend the bench starts its own FerretDB (the binary .local/bin/ferretdb, or FERRETDB_BIN) on a free
 * loopback port, boots the real app in-process (`createHttpApp`, listening on a free port, a real SMTP receiver for
 * the verification mail), registers a user over HTTP and signs in for a real token. The transactions are spread
 * evenly over ten organizations (the user's household is one of them, so the measured organization holds exactly
 * 1/10 of the rows) and seeded with the raw driver (`insertMany` in chunks of 5 000, the document shape
 * TransactionsRepository.insertMany stores: global ids from GlobalIdService, organizationId, period, textKey,
 * timestamps, soft-delete fields). Sizes grow in place: 1 000, then 9 000 more, then 90 000 more.
 *
 * At each size it measures p50/p95 of
 *   - the first page (`?limit=50`, the default sort `-date`),
 *   - a deeper page (with the cursor a client holds after page 19, found once with skip),
 *   - one calendar month (`?from=2025-12-01&to=2025-12-31`: the API adds the equality `period: '2025-12'`, which
 *     FerretDB's PostgreSQL backend runs in SQL; the raw query without it shows the cost of the range alone),
 * each over HTTP with the token, and the raw driver's time for exactly the same page (same filter, sort and limit,
 * no app) as a baseline. The list returns no total, so there is no count-bearing call to measure; the raw
 * `countDocuments` of the organization is printed for comparison with the numbers.
 *
 * How to run:
 *   npm run bench:transactions-scale                               both backends, all three sizes
 *   BENCH_BACKENDS=sqlite npm run bench:transactions-scale         one backend (sqlite or postgresql)
 *   BENCH_SIZES=1000,10000 npm run bench:transactions-scale        other sizes (totals over all ten organizations)
 *   BENCH_REQUESTS=30 (default): timed requests per measurement after 2 warm-ups; when the first warm-up takes
 *     longer than 1 s, one warm-up and BENCH_SLOW_REQUESTS (default 5) timed requests keep the run short
 *     (100 000 rows on SQLite: several seconds per request).
 *   PG_URL=postgres://postgres@127.0.0.1:5432 (default): the PostgreSQL server the postgresql backend uses; the bench
 *     creates its own database there and drops it at the end.
 *
 * Needs Redis (REDIS_URL, default redis://127.0.0.1:6379; the bench uses its own key prefix and deletes it).
 * Everything it started (FerretDB, app, SMTP receiver, database, temp dir) is stopped at the end, also on error.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient, type Filter } from 'mongodb';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { encodeKeysetCursor } from '../src/infrastructure/mongo/keyset';
import { percentile, startBenchApp } from './lib/harness';

type Backend = 'sqlite' | 'postgresql';

const BACKENDS: Backend[] = (process.env.BENCH_BACKENDS ?? 'sqlite,postgresql')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean)
  .map((b) => {
    if (b !== 'sqlite' && b !== 'postgresql') throw new Error(`BENCH_BACKENDS: unknown backend ${b}`);
    return b;
  });
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30);
const SLOW_REQUESTS = Number(process.env.BENCH_SLOW_REQUESTS ?? 5);
const ORGS = 10;
const PAGE_SIZE = 50;
const DEEP_PAGE = 20;
/** The newest full month of the seeded dates (2023-01-01 … 2026-01-04). */
const MONTH = '2025-12';
const CHUNK = 5000;
const FERRETDB_BIN = process.env.FERRETDB_BIN ?? resolve(__dirname, '..', '.local', 'bin', 'ferretdb');
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

for (const n of SIZES) {
  if (!Number.isInteger(n) || n < ORGS * PAGE_SIZE) throw new Error(`BENCH_SIZES: ${n} is not a size >= 500`);
}

/** Cleanups run in reverse order at the end, whatever happened. */
const cleanups: (() => Promise<void> | void)[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ferretdb exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((done) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`ferretdb did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function psql(sql: string): void {
  const result = spawnSync('psql', [`${PG_URL}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qc', sql], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr || result.error?.message}`);
}

/** Starts a FerretDB of its own for `backend`; returns its base URI (stopped and cleaned at the end). */
async function startFerret(backend: Backend, tag: string): Promise<string> {
  const port = await freePort();
  const args = ['-listen', `127.0.0.1:${port}`, '-handler', backend];
  if (backend === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), `ww-scale-${tag}-`));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    args.push('-sqlite-url', `file:${dir}/`);
  } else {
    const database = `ww_scale_${tag}`;
    psql(
      `create database ${database} encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8' template template0`,
    );
    cleanups.push(() => psql(`drop database if exists ${database} with (force)`));
    args.push('-postgresql-url', `${PG_URL}/${database}`);
  }
  const child = spawn(FERRETDB_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  cleanups.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  try {
    await waitForPort(port, child);
  } catch (error) {
    console.error(stderr);
    throw error;
  }
  return `mongodb://127.0.0.1:${port}`;
}

interface Stats {
  p50: number;
  p95: number;
  n: number;
}

/**
 * Warm-up, then REQUESTS timed calls. When the warm-up took over a second the run is in slow mode: no second warm-up
 * and SLOW_REQUESTS timed calls (p95 of so few samples is about the maximum).
 */
async function measure<T>(label: string, fn: () => Promise<T>): Promise<{ stats: Stats; value: T }> {
  let started = performance.now();
  let value = await fn();
  const slow = performance.now() - started > 1000;
  if (!slow) value = await fn();
  const n = slow ? Math.min(REQUESTS, SLOW_REQUESTS) : REQUESTS;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    started = performance.now();
    value = await fn();
    times.push(performance.now() - started);
  }
  if (slow) console.log(`    ${label}: ${n} slow requests done`);
  return { stats: { p50: percentile(times, 50), p95: percentile(times, 95), n }, value };
}

const dateOf = (i: number) => {
  // about three years, several transactions per day (ties on date exercise the _id tie-break)
  const day = new Date(Date.UTC(2023, 0, 1) + ((i * 7) % 1100) * 86_400_000);
  return day.toISOString().slice(0, 10);
};

/** What TransactionsRepository.insertMany stores (the fields this bench reads are typed). */
interface RawTransaction {
  _id: string;
  organizationId: string;
  date: string;
  isDeleted: boolean;
  [field: string]: unknown;
}

interface Row {
  backend: Backend;
  size: number;
  orgRows: number;
  first: Stats;
  deep: Stats;
  deepPage: number;
  rawFirst: Stats;
  rawDeep: Stats;
  rawCount: Stats;
  month: Stats;
  rawMonth: Stats;
  seedSeconds: number;
}

async function runBackend(backend: Backend): Promise<Row[]> {
  const tag = `${backend.slice(0, 2)}_${randomBytes(3).toString('hex')}`;
  const base = await startFerret(backend, tag);
  // The app on this FerretDB with a real user and token (registered, verified with the token from the real mail,
  // signed in); the list is asked without X-Organization-Id: the user's household.
  const b = await startBenchApp(`scale_${tag}`, {
    services: { base, options: 'directConnection=true&retryWrites=false', redisUrl: REDIS_URL },
    env: { RATE_LIMIT_AUTH_IP_PER_MIN: '1000000', RATE_LIMIT_AUTH_EMAIL_PER_MIN: '1000000' },
    pro: false,
  });
  cleanups.push(() => b.close());
  const organizationId = b.user.organizationId;
  const auth = b.user.auth;
  const url = (path: string) => `${b.url}/api/v1${path}`;
  const mongoUri = b.env.MONGODB_URI;

  const ids = b.app.get(GlobalIdService);
  const client = new MongoClient(mongoUri);
  await client.connect();
  cleanups.push(() => client.close());
  const raw = client.db(b.databaseName).collection<RawTransaction>('transactions');
  const orgs = [organizationId];
  for (let k = 1; k < ORGS; k++) orgs.push(await ids.getNextGlobalId());

  const list = async (query: string): Promise<string[]> => {
    const res = await fetch(url(`/transactions?limit=${PAGE_SIZE}${query}`), { headers: auth });
    const body = (await res.json()) as { items?: { id: string }[] };
    if (res.status !== 200 || !body.items)
      throw new Error(`GET /transactions: ${res.status} ${JSON.stringify(body)}`);
    return body.items.map((t) => t.id);
  };
  const filter: Filter<RawTransaction> = { organizationId, isDeleted: false };
  const sort = { date: -1, _id: -1 } as const;
  const rawPage = async (
    after?: { date: string; id: string },
    extra: Filter<RawTransaction> = {},
  ): Promise<string[]> => {
    const seek: Filter<RawTransaction> = after
      ? { $and: [{ $or: [{ date: { $lt: after.date } }, { date: after.date, _id: { $lt: after.id } }] }] }
      : {};
    const rows = await raw
      .find({ ...filter, ...extra, ...seek })
      .sort(sort)
      .limit(PAGE_SIZE + 1)
      .toArray();
    return rows.slice(0, PAGE_SIZE).map((r) => r._id);
  };

  const rows: Row[] = [];
  let seeded = 0;
  for (const size of SIZES) {
    const seedStart = Date.now();
    while (seeded < size) {
      const n = Math.min(CHUNK, size - seeded);
      const block: string[] = [];
      for (let k = 0; k < n; k += 1000) block.push(...(await ids.reserveGlobalIds(Math.min(1000, n - k))));
      const now = new Date();
      await raw.insertMany(
        block.map((_id, k) => {
          const i = seeded + k;
          const date = dateOf(i);
          const description = `Köp ${i}`;
          return {
            _id,
            date,
            period: date.slice(0, 7),
            amount: 100 + ((i * 7919) % 500_000),
            type: i % 10 === 0 ? 'income' : 'expense',
            currency: 'SEK',
            description,
            note: null,
            textKey: description.toLowerCase(),
            supplierId: null,
            categoryId: null,
            tags: [],
            source: 'import',
            bankLineId: null,
            createdBy: null,
            organizationId: orgs[i % ORGS],
            createdAt: now,
            updatedAt: now,
            isDeleted: false,
            deletedAt: null,
            deletedBy: null,
          };
        }),
        { ordered: true },
      );
      seeded += n;
      if (seeded % 20_000 === 0 || seeded === size) {
        const s = (Date.now() - seedStart) / 1000;
        console.log(`  [${backend}] ${seeded} transactions in the collection (${s.toFixed(1)} s this step)`);
      }
    }
    const seedSeconds = (Date.now() - seedStart) / 1000;
    const orgRows = await raw.countDocuments(filter);
    console.log(
      `  [${backend}] ${size}: measured organization holds ${orgRows} (${((orgRows / size) * 100).toFixed(0)} %)`,
    );

    const first = await measure(`${backend} ${size} first page`, () => list(''));
    const rawFirst = await measure(`${backend} ${size} raw first page`, () => rawPage());
    const deepPage = Math.min(DEEP_PAGE, Math.floor(orgRows / PAGE_SIZE));
    const [lastOfPrevious] = await raw
      .find(filter)
      .sort(sort)
      .skip((deepPage - 1) * PAGE_SIZE - 1)
      .limit(1)
      .toArray();
    const after = { date: lastOfPrevious.date, id: lastOfPrevious._id };
    const cursor = encodeKeysetCursor({ field: 'date', direction: -1 }, after.date, after.id);
    const deep = await measure(`${backend} ${size} page ${deepPage}`, () => list(`&cursor=${cursor}`));
    const rawDeep = await measure(`${backend} ${size} raw page ${deepPage}`, () => rawPage(after));
    // One calendar month picked in the list (the newest full month of the data): the API adds `period` to the
    // range; the raw query without it shows what the same page costs when only the range is sent.
    const month = { from: `${MONTH}-01`, to: `${MONTH}-31` };
    const monthPage = await measure(`${backend} ${size} month`, () =>
      list(`&from=${month.from}&to=${month.to}`),
    );
    const rawMonth = await measure(`${backend} ${size} raw month without period`, () =>
      rawPage(undefined, { date: { $gte: month.from, $lte: month.to } }),
    );
    const rawCount = await measure(`${backend} ${size} raw count`, () => raw.countDocuments(filter));
    const same =
      JSON.stringify(first.value) === JSON.stringify(rawFirst.value) &&
      JSON.stringify(deep.value) === JSON.stringify(rawDeep.value) &&
      JSON.stringify(monthPage.value) === JSON.stringify(rawMonth.value) &&
      first.value.length === PAGE_SIZE &&
      deep.value.length === PAGE_SIZE;
    if (!same) throw new Error(`${backend} ${size}: the API and the raw driver returned different pages`);
    const row: Row = {
      backend,
      size,
      orgRows,
      first: first.stats,
      deep: deep.stats,
      deepPage,
      rawFirst: rawFirst.stats,
      rawDeep: rawDeep.stats,
      rawCount: rawCount.stats,
      month: monthPage.stats,
      rawMonth: rawMonth.stats,
      seedSeconds,
    };
    rows.push(row);
    printRow(row);
  }
  return rows;
}

const ms = (s: Stats) => `${s.p50.toFixed(0).padStart(6)} /${s.p95.toFixed(0).padStart(6)}`;

function header(): void {
  console.log(
    'backend     total    org  | HTTP page 1 p50/p95 | HTTP page N p50/p95 | raw page 1 p50/p95 | raw page N p50/p95 | raw count p50/p95 | HTTP month p50/p95 | raw month w/o period | HTTP/raw p1 | n (HTTP p1/pN, raw)',
  );
}

function printRow(r: Row): void {
  console.log(
    `${r.backend.padEnd(10)} ${String(r.size).padStart(6)} ${String(r.orgRows).padStart(6)}  | ${ms(r.first)} ms    | ${ms(r.deep)} ms (N=${String(r.deepPage).padStart(2)})| ${ms(r.rawFirst)} ms   | ${ms(r.rawDeep)} ms   | ${ms(r.rawCount)} ms  | ${ms(r.month)} ms   | ${ms(r.rawMonth)} ms     | ${(r.first.p50 / r.rawFirst.p50).toFixed(2).padStart(6)}x    | ${r.first.n}/${r.deep.n}/${r.rawFirst.n}`,
  );
}

async function main(): Promise<void> {
  console.log(
    `transactions-scale: backends ${BACKENDS.join(', ')}; sizes ${SIZES.join(', ')} over ${ORGS} organizations ` +
      `(the measured one holds 1/${ORGS}); page size ${PAGE_SIZE}; ${REQUESTS} timed requests after 2 warm-ups ` +
      `(${SLOW_REQUESTS} after 1 when a request takes over 1 s); times in ms`,
  );
  const all: Row[] = [];
  for (const backend of BACKENDS) {
    const mark = cleanups.length;
    try {
      header();
      all.push(...(await runBackend(backend)));
    } finally {
      // stop this backend's app and FerretDB before the next one starts (the machine is small)
      while (cleanups.length > mark) await runCleanup(cleanups.pop()!);
    }
  }
  console.log('\nsummary (p50 / p95, ms):');
  header();
  all.forEach(printRow);
}

async function runCleanup(fn: () => Promise<void> | void): Promise<void> {
  try {
    await fn();
  } catch (error) {
    console.error('cleanup failed:', error);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping what the bench started`);
    void (async () => {
      while (cleanups.length) await runCleanup(cleanups.pop()!);
      process.exit(130);
    })();
  });
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    while (cleanups.length) await runCleanup(cleanups.pop()!);
    process.exit(process.exitCode ?? 0);
  });
