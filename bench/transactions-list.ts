/**
 * bench/transactions-list — `GET /api/v1/transactions` on a 100 000-transaction organization, through the whole
 * production path: HTTP on a real port (Node's fetch, keep-alive), a real access token (a user registered, verified
 * and signed in through the API), the JWT guard, the per-user rate limiter (Redis, limit set high so it counts but
 * never refuses), the organization guard (membership lookup), zod validation of the query, the service, Mongoose and
 * the JSON serialization of 50 views — next to the raw driver query for exactly the same page in the same run (same
 * filter, sort and limit; no app, no Mongoose). Two pages: the first and page 50 (asked with the cursor a client
 * holds after page 49). Also shows what an offset (skip/limit) query for the deep page costs.
 *
 * Prints median times over BENCH_RUNS alternating rounds and the ratio HTTP / raw; the target is ≤ 1.3× for both
 * pages, and both must return the same ids. Exit code 1 when the target is not met.
 *
 * How to run:
 *   npm run bench:transactions-list
 *       starts (or reuses) the test services itself — the same as `node scripts/services.js up --profile test` —
 *       and stops what it started at the end
 *   BENCH_TRANSACTIONS=10000 npm run bench:transactions-list          a quick run (default 100000)
 *   MONGODB_URI='mongodb://127.0.0.1:27017/x?directConnection=true' REDIS_URL=redis://127.0.0.1:6379 \
 *     npm run bench:transactions-list                                 an existing server (a fresh database is used
 *                                                                     and dropped; the name in the URI is ignored)
 *   BENCH_RUNS=9 (default): timed rounds per measurement, after one warm-up.
 *
 * Seeding goes through the bulk path the API uses (ids reserved in blocks of 1000 with reserveGlobalIds,
 * TransactionsRepository.addMany of 1000 lean records); progress is printed every 10 000. On FerretDB, which
 * scans and sorts the organization's rows for these queries (SQLite pushes down only `_id` equality), absolute
 * times grow with N — read the ratios; on MongoDB the `{organizationId, date, _id}` index serves both pages.
 */
import { encodeKeysetCursor } from '../src/infrastructure/mongo/keyset';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { TransactionsRepository } from '../src/modules/economy/transactions/transactions.repository';
import { compare, startBenchApp } from './lib/harness';
import { run } from './lib/run';

const TOTAL = Number(process.env.BENCH_TRANSACTIONS ?? 100_000);
const BLOCK = 1000;
const PAGE_SIZE = 50;
const DEEP_PAGE = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const TARGET = 1.3;

const dateOf = (i: number) => {
  // spread over about three years, several transactions per day (ties on date exercise the _id tie-break)
  const day = new Date(Date.UTC(2023, 0, 1) + (i % 1100) * 86_400_000);
  return day.toISOString().slice(0, 10);
};

async function main(): Promise<void> {
  // A real user through the API (register, verify by mail, sign in): its household is the organization listed.
  const b = await startBenchApp('tx', { pro: false });
  try {
    const organizationId = b.user.organizationId;
    const db = b.db;
    const ids = b.app.get(GlobalIdService);
    const repository = b.app.get(TransactionsRepository);
    const inOrg = b.inOrg;

    console.log(`transactions-list: seeding ${TOTAL} transactions into ${b.env.MONGODB_URI.split('?')[0]}`);
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
        const sec = (Date.now() - seedStart) / 1000;
        console.log(`  ${count} inserted (${sec.toFixed(1)} s, ${(count / sec).toFixed(0)}/s)`);
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
    const httpPage = async (cursor?: string): Promise<string[]> => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const body = await b.getJson<{ items?: { id: string }[] }>(`/transactions?${query.toString()}`);
      if (!body.items) throw new Error(`GET /transactions: ${JSON.stringify(body)}`);
      return body.items.map((t) => t.id);
    };

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
      () => httpPage(),
      () => rawPage(),
      RUNS,
    );
    const deep = await compare(
      () => httpPage(deepCursor),
      () => rawPage(after),
      RUNS,
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
      RUNS,
    );

    const same = (x: string[], y: string[]) =>
      x.length === PAGE_SIZE && JSON.stringify(x) === JSON.stringify(y);
    const okFirst = same(first.av, first.bv);
    const okDeep = same(deep.av, deep.bv) && same(offset.av, offset.bv);
    const r1 = first.a / first.b;
    const r2 = deep.a / deep.b;
    console.log(
      `transactions-list: ${TOTAL} transactions, page size ${PAGE_SIZE}, median of ${RUNS} alternating rounds`,
    );
    console.log(
      `  first page: HTTP ${first.a.toFixed(1)} ms, raw driver ${first.b.toFixed(1)} ms, ratio ${r1.toFixed(2)}x  ${okFirst ? 'same ids' : 'DIFFERENT IDS'}`,
    );
    console.log(
      `  page ${DEEP_PAGE} (cursor): HTTP ${deep.a.toFixed(1)} ms, raw driver ${deep.b.toFixed(1)} ms, ratio ${r2.toFixed(2)}x  ${okDeep ? 'same ids' : 'DIFFERENT IDS'}`,
    );
    console.log(
      `  page ${DEEP_PAGE} raw: keyset ${offset.a.toFixed(1)} ms vs skip/limit ${offset.b.toFixed(1)} ms (${(offset.b / offset.a).toFixed(2)}x)`,
    );
    const pass = okFirst && okDeep && r1 <= TARGET && r2 <= TARGET;
    console.log(`  HTTP/raw target <= ${TARGET}x: ${pass ? 'OK' : 'NOT MET'}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await b.close();
  }
}

run(main);
