/**
 * bench/cache — the economy dashboard through the cache layer (docs/cache.md), in one run on one Redis:
 *
 *   miss: a write's generation bump, then `StatsService.dashboard` — MGET of the generations, the Redis lock, the
 *         database aggregations over BENCH_TRANSACTIONS transactions, the SET of the value;
 *   hit:  `StatsService.dashboard` again — one MGET (generations + value), the stamp check, JSON.parse;
 *   GET:  a bare `GET` of the same bytes (the cached value copied to a key of its own) on the same client, run in
 *         the same tenant context as the dashboard call (AsyncLocalStorage, as in a request).
 *
 * Each comparison runs in pairs (one warm-up each, then BENCH_RUNS pairs, alternating which goes first). Prints the
 * medians and the median of the per-pair ratios miss/hit (target ≥ 10×) and hit/GET (target ≤ 1.3×); exits 1 when a
 * target is missed.
 *
 *   npm run bench:cache            (starts the local services if MONGODB_URI is not set)
 *   BENCH_TRANSACTIONS=3000, BENCH_RUNS=1000 (hit vs GET), BENCH_MISS_RUNS=30 (miss vs hit)
 */
import type Redis from 'ioredis';
import { CacheService } from '../src/infrastructure/cache/cache.service';
import { REDIS } from '../src/infrastructure/redis/redis.module';
import { StatsService } from '../src/modules/economy/stats/stats.service';
import { median, startBenchApp, time } from './lib/harness';
import { run } from './lib/run';

const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const MISS_RUNS = Number(process.env.BENCH_MISS_RUNS ?? 30);
const MISS_TARGET = 10;
const GET_TARGET = 1.3;

const stockholmToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

function dateDaysAgo(days: number): string {
  const d = new Date(`${stockholmToday()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * `a` and `b` alternately `runs` times after a warm-up of each: their medians and the median of the per-pair
 * ratios a/b. On a shared, loaded machine the pairs' ratio is the steadier figure (a slow moment slows both of a
 * pair), so the targets are checked against it.
 */
async function pairs(a: () => Promise<unknown>, b: () => Promise<unknown>, runs: number) {
  await a();
  await b();
  const at: number[] = [];
  const bt: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always runs on a warmer connection.
    let x: { ms: number };
    let y: { ms: number };
    if (i % 2) {
      x = await time(a);
      y = await time(b);
    } else {
      y = await time(b);
      x = await time(a);
    }
    at.push(x.ms);
    bt.push(y.ms);
    ratios.push(x.ms / y.ms);
  }
  return { a: median(at), b: median(bt), ratio: median(ratios) };
}

run(async () => {
  const app = await startBenchApp('cache', { listen: false });
  try {
    // A year of transactions over the default categories, through the API (bulk: 1000 per request).
    const categories = (await app.http.get('/api/v1/categories').set(app.headers).expect(200)).body as {
      id: string;
      kind: string;
    }[];
    const expense = categories.filter((c) => c.kind === 'expense').map((c) => c.id);
    const income = categories.filter((c) => c.kind === 'income').map((c) => c.id);
    for (let start = 0; start < TRANSACTIONS; start += 1000) {
      const items = Array.from({ length: Math.min(1000, TRANSACTIONS - start) }, (_, k) => {
        const i = start + k;
        const isIncome = i % 10 === 0;
        const pool = isIncome ? income : expense;
        return {
          date: dateDaysAgo(i % 360),
          amount: 1_000 + ((i * 7919) % 250_000),
          type: isIncome ? 'income' : 'expense',
          description: `Bench ${i}`,
          categoryId: pool[i % pool.length],
        };
      });
      await app.http.post('/api/v1/transactions/bulk').set(app.headers).send({ items }).expect(201);
    }

    const stats = app.app.get(StatsService);
    const cache = app.app.get(CacheService);
    const redis = app.app.get<Redis>(REDIS);
    const org = app.user.organizationId;
    const dashboard = () => app.inOrg(() => stats.dashboard('SEK'));
    // What a write does to the cache: a new generation of the organization's transactions.
    const miss = async () => {
      await cache.bump([{ collection: 'transactions', scope: org }]);
      return dashboard();
    };

    await dashboard();
    const valueKeys = await redis.keys(`${app.config.redis.prefix}:cache:v:economy.dashboard:*`);
    if (valueKeys.length !== 1) throw new Error(`expected one cached dashboard, found ${valueKeys.length}`);
    const bytes = await redis.get(valueKeys[0].slice(app.config.redis.prefix.length + 1));
    if (!bytes) throw new Error('the cached dashboard is gone');
    await redis.set('bench:bare-get', bytes);
    // In the same tenant context as the dashboard call (a request's): only the cache's own work differs.
    const bareGet = () => app.inOrg(() => redis.get('bench:bare-get'));

    const missVsHit = await pairs(miss, dashboard, MISS_RUNS);
    const hitVsGet = await pairs(dashboard, bareGet, RUNS);
    if (JSON.stringify(await miss()) !== JSON.stringify(await dashboard()))
      throw new Error('hit and miss differ');

    const missRatio = missVsHit.ratio;
    const getRatio = hitVsGet.ratio;
    const f = (ms: number) => `${ms.toFixed(3)} ms`;
    console.log(
      `cache bench: dashboard over ${TRANSACTIONS} transactions, cached value ${bytes.length} bytes`,
    );
    console.log(`  miss (bump + compute + store)  ${f(missVsHit.a)}   median of ${MISS_RUNS}`);
    console.log(`  hit                            ${f(missVsHit.b)}   (paired with miss)`);
    console.log(`  hit                            ${f(hitVsGet.a)}   median of ${RUNS}`);
    console.log(`  bare Redis GET, same bytes     ${f(hitVsGet.b)}   (paired with hit)`);
    console.log(
      `  miss / hit = ${missRatio.toFixed(1)}×   (median of the pairs' ratios; target ≥ ${MISS_TARGET}×)`,
    );
    console.log(
      `  hit / GET  = ${getRatio.toFixed(2)}×  (median of the pairs' ratios; target ≤ ${GET_TARGET}×)`,
    );
    if (missRatio < MISS_TARGET || getRatio > GET_TARGET) process.exitCode = 1;
  } finally {
    await app.close();
  }
});
