import { getConnectionToken } from '@nestjs/mongoose';
import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { RequestContext } from '../src/common/context/request-context';
import { CacheService } from '../src/infrastructure/cache/cache.service';
import { Metrics } from '../src/infrastructure/metrics/metrics';
import { REDIS } from '../src/infrastructure/redis/redis.module';
import { UsersService } from '../src/modules/users/users.service';
import { activatePro } from './helpers/billing';
import { BROADBAND } from './helpers/contracts';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

const api = (path: string) => `/api/v1${path}`;
/** The create examples of the OpenAPI document (cars.dto.ts, events.dto.ts, policies.dto.ts). */
const CAR = {
  registration: 'ABC 123',
  make: 'Volvo',
  model: 'V60',
  year: 2021,
  fuelTypes: ['plugin_hybrid'],
  odometerUnit: 'mil',
};
const FUEL = {
  type: 'fuel',
  date: '2026-11-28',
  odometer: 4_512,
  cost: 78_450,
  quantity: 41.2,
  quantityUnit: 'l',
  fullTank: true,
  fuelType: 'petrol',
};
const POLICY = {
  type: 'home',
  insurerName: 'Folksam',
  premium: 28_500,
  premiumPeriod: 'monthly',
  renewalDate: '2027-04-01',
};
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

/**
 * The cache layer against the real app, FerretDB and Redis: every cached read is fresh right after a write of what
 * it reads (each module: read, write, read again), a repeated read is a hit, cold misses compute once under
 * concurrency (one process and two), and a Redis that is gone means computing without the cache, never an error.
 */
describe('cache layer', () => {
  let t: TestApp;
  let user: TestUser;
  let metrics: Metrics;

  const get = (path: string) => t.http.get(api(path)).set(user.auth).expect(200);
  const post = (path: string, body: object, status = 201) =>
    t.http.post(api(path)).set(user.auth).send(body).expect(status);
  const hits = async (cache: string) =>
    (await metrics.registry.getSingleMetric('westwallet_cache_reads_total')!.get()).values.find(
      (v) => v.labels.cache === cache && v.labels.result === 'hit',
    )?.value ?? 0;

  beforeAll(async () => {
    t = await startTestApp();
    metrics = t.app.get(Metrics);
    user = await createUser(t);
    await activatePro(t, user.organizationId);
  });
  afterAll(() => t.close());

  it('without METRICS_TOKEN there is no Prometheus route', async () => {
    await t.http.get(api('/metrics')).set('Authorization', 'Bearer x'.repeat(10)).expect(404);
  });

  it('economy: the dashboard, statistics, categories and suppliers are hits when repeated and fresh after a write', async () => {
    const before = (await get('/economy/dashboard')).body;
    const hitsBefore = await hits('economy.dashboard');
    expect((await get('/economy/dashboard')).body).toEqual(before);
    expect(await hits('economy.dashboard')).toBe(hitsBefore + 1);

    const from = `${today().slice(0, 7)}-01`;
    const stats = () => get(`/economy/stats?from=${from}&to=${today()}&groupBy=month`);
    const statsBefore = (await stats()).body;
    await post('/transactions', { date: today(), amount: 12_345, type: 'expense', description: 'Cache' });
    expect((await get('/economy/dashboard')).body.thisMonth.expense).toBe(before.thisMonth.expense + 12_345);
    expect((await stats()).body.totals.expense).toBe(statsBefore.totals.expense + 12_345);

    const categories = (await get('/categories')).body as { name: string }[];
    await get('/categories');
    await post('/categories', { name: 'Cachekategori', kind: 'expense' });
    const after = (await get('/categories')).body as { name: string }[];
    expect(after).toHaveLength(categories.length + 1);
    expect(after.map((c) => c.name)).toContain('Cachekategori');

    expect((await get('/suppliers')).body.items).toEqual([]);
    const supplier = (await post('/suppliers', { name: 'Cacheleverantören' })).body as { id: string };
    expect((await get('/suppliers')).body.items.map((s: { id: string }) => s.id)).toEqual([supplier.id]);
    await t.http
      .delete(api(`/suppliers/${supplier.id}`))
      .set(user.auth)
      .expect(200);
    expect((await get('/suppliers')).body.items).toEqual([]);
  });

  it('contracts, cars, insurance and maintenance: statistics are fresh after a write', async () => {
    const contractsBefore = (await get('/contracts/stats')).body;
    await get('/contracts/stats');
    await post('/contracts', BROADBAND);
    expect((await get('/contracts/stats')).body).not.toEqual(contractsBefore);

    const car = (await post('/cars', CAR)).body as { id: string };
    const carBefore = (await get(`/cars/${car.id}/stats`)).body;
    await get(`/cars/${car.id}/stats`);
    await post(`/cars/${car.id}/events`, FUEL);
    expect((await get(`/cars/${car.id}/stats`)).body).not.toEqual(carBefore);

    const insuranceBefore = (await get('/insurance/summary')).body as { policies: number };
    await get('/insurance/summary');
    await post('/insurance', POLICY);
    expect((await get('/insurance/summary')).body.policies).toBe(insuranceBefore.policies + 1);

    const task = (
      await post('/maintenance', {
        title: 'Rensa hängrännor',
        recurrence: { every: 1, unit: 'year' },
        nextDue: today(),
      })
    ).body as { id: string };
    expect((await get('/maintenance/costs')).body.years).toEqual([]);
    await post(`/maintenance/${task.id}/complete`, { cost: 50_000 }, 200);
    const years = (await get('/maintenance/costs')).body.years as { cost: number }[];
    expect(years.map((y) => y.cost)).toEqual([50_000]);
    // the task to the trash takes its completions with it
    await t.http
      .delete(api(`/maintenance/${task.id}`))
      .set(user.auth)
      .expect(200);
    expect((await get('/maintenance/costs')).body.years).toEqual([]);
  });

  it('users: the cached record follows a change of preferences at once', async () => {
    const users = t.app.get(UsersService);
    expect((await users.findById(user.id))?.preferences.ui.locale).toBe('sv');
    expect((await users.findById(user.id))?.preferences.ui.locale).toBe('sv');
    await t.http
      .patch(api('/me/preferences'))
      .set(user.auth)
      .send({ ui: { locale: 'en' } })
      .expect(200);
    const record = await users.findById(user.id);
    expect(record?.preferences.ui.locale).toBe('en');
    expect(record).not.toHaveProperty('passwordHash');
  });

  it('a cold miss computes once: 20 requests at once in one process, and two processes', async () => {
    const computes = () => metrics.cacheComputeCount('economy.dashboard');
    await post('/transactions', { date: today(), amount: 100, type: 'income', description: 'Kall cache' });
    const start = await computes();
    const answers = await Promise.all(Array.from({ length: 20 }, () => get('/economy/dashboard')));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect((await computes()) - start).toBe(1);

    // A second CacheService on the same Redis stands for another API process: still one computation.
    const cache = t.app.get(CacheService);
    const other = new CacheService(
      t.app.get(REDIS),
      t.app.get<Connection>(getConnectionToken()),
      t.app.get(RequestContext),
      metrics,
    );
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { value: 42 };
    };
    const spec = { name: 'test.two-processes', reads: ['transactions'], scope: user.organizationId };
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => cache.read(spec, slow)),
      ...Array.from({ length: 5 }, () => other.read(spec, slow)),
    ]);
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ value: 42 })));
    expect(runs).toBe(1);
  });

  it('Redis gone: reads compute without the cache, bumps are held back and nothing stale is served after', async () => {
    // A client on a port nobody listens on: every command fails like a Redis that went away.
    const dead = new Redis({
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const cache = new CacheService(
      dead,
      t.app.get<Connection>(getConnectionToken()),
      t.app.get(RequestContext),
      metrics,
    );
    const spec = { name: 'test.redis-down', reads: ['transactions'], scope: user.organizationId };
    await expect(cache.read(spec, () => Promise.resolve('computed'))).resolves.toBe('computed');
    await expect(
      cache.bump([{ collection: 'transactions', scope: user.organizationId }]),
    ).resolves.toBeUndefined();
    await expect(cache.read(spec, () => Promise.resolve('again'))).resolves.toBe('again');
    dead.disconnect();
  });

  it('a bulk insert (insertMany through the bulk-write helper) bumps the generation too', async () => {
    const before = (await get('/economy/dashboard')).body.thisMonth.income as number;
    await get('/economy/dashboard');
    await post(
      '/transactions/bulk',
      {
        items: [
          { date: today(), amount: 1_000, type: 'income', description: 'Bulk 1' },
          { date: today(), amount: 2_000, type: 'income', description: 'Bulk 2' },
        ],
      },
      201,
    );
    expect((await get('/economy/dashboard')).body.thisMonth.income).toBe(before + 3_000);
  });
});
