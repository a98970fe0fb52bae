import { Clock } from '../src/infrastructure/clock/clock';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * AI forecast and anomalies over HTTP (docs/ai.md): a forecast from contracts, open bills and 17 months of history;
 * anomalies detected after transactions are created (the audit listener's scan job), dismiss and "this is normal"
 * (the same pattern is not flagged again), an `anomaly` notification, organization B answered like a missing id,
 * and bad queries answered 400 in the common error shape.
 */

const api = (path: string) => `/api/v1${path}`;

interface Anomaly {
  id: string;
  kind: string;
  severity: string;
  status: string;
  amount: number;
  reason: { sv: string; en: string };
  records: { transactionIds: string[]; supplierId: string | null };
}

async function until<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('AI forecast and anomalies', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  const ids: Record<string, string> = {};
  let categories: string[] = [];

  const post = (user: TestUser, path: string, body: object = {}) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);
  const anomalies = async (user: TestUser, query = ''): Promise<Anomaly[]> =>
    (await get(user, `/ai/anomalies?limit=100${query}`).expect(200)).body.items as Anomaly[];

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-06-10T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
    categories = ((await get(a, '/categories?kind=expense').expect(200)).body as { id: string }[]).map(
      (c) => c.id,
    );
    for (const name of ['ICA Maxi', 'Netflix', 'Friskis Gym', 'Trygg Försäkring']) {
      ids[name] = (await post(a, '/suppliers', { name }).expect(201)).body.id as string;
    }
    // 17 months of history: groceries 4 trips a month, the gym 399 kr, Netflix 139 kr (a contract's provider).
    const items: object[] = [];
    for (let m = 0; m < 17; m++) {
      const period = `${2025 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      for (let k = 0; k < 4; k++)
        items.push({
          date: `${period}-${String(3 + k * 7).padStart(2, '0')}`,
          amount: 60_000 + ((m * 7 + k * 13) % 10) * 3_000 + (m === 11 ? 20_000 : 0),
          type: 'expense',
          description: 'ICA MAXI',
          supplierId: ids['ICA Maxi'],
          categoryId: categories[0],
        });
      items.push({
        date: `${period}-02`,
        amount: 39_900,
        type: 'expense',
        description: 'Friskis',
        supplierId: ids['Friskis Gym'],
        categoryId: categories[1],
      });
      items.push({
        date: `${period}-05`,
        amount: 13_900,
        type: 'expense',
        description: 'NETFLIX.COM',
        supplierId: ids.Netflix,
        categoryId: categories[2],
      });
    }
    await post(a, '/transactions/bulk', { items }).expect(201);
    await post(a, '/contracts', {
      name: 'Netflix Standard',
      kind: 'streaming',
      frequency: 'monthly',
      amount: 13_900,
      priceSteps: [{ from: '2026-07-05', amount: 16_900 }],
      startDate: '2025-01-05',
      providerId: ids.Netflix,
      categoryId: categories[2],
    }).expect(201);
    await post(a, '/bills', {
      supplierId: ids['Trygg Försäkring'],
      amount: 450_000,
      dueDate: '2026-07-20',
      categoryId: categories[3],
    }).expect(201);
  });

  afterAll(() => t.close());

  it('forecasts known contracts, open bills and the rest from history, each part explained', async () => {
    const res = await get(a, '/ai/forecast?months=3').expect(200);
    const f = res.body;
    expect(f).toMatchObject({ today: '2026-06-10', from: '2026-06', to: '2026-08', historyMonths: 17 });
    const july = f.total.months[1];
    expect(july).toMatchObject({ period: '2026-07', contracts: 16_900, bills: 450_000 });
    expect(f.total.months[0].contracts).toBe(13_900);
    expect(july.history).toBeGreaterThan(200_000);
    expect(july.low).toBeLessThanOrEqual(july.total);
    expect(july.high).toBeGreaterThanOrEqual(july.total);
    // Netflix's history is the contract's: its category has no "rest" on top of the known payments.
    const streaming = f.categories.find((c: { categoryId: string }) => c.categoryId === categories[2]);
    expect(streaming.sum).toMatchObject({ contracts: 13_900 + 16_900 * 2, history: 0 });
    expect(f.total.explanation.sv).toContain('Kända avtal');
    expect(f.total.explanation.en).toContain('Known contracts');
    expect(f.total.explanation.sv).toContain('öppna räkningar');

    const only = (await get(a, `/ai/forecast?months=1&categories=${categories[0]}`).expect(200)).body;
    expect(only.categories.map((c: { categoryId: string }) => c.categoryId)).toEqual([categories[0]]);
    expect(only.total.sum.contracts).toBe(0);

    // A new organization: no history, nothing known, zeros and a reason.
    const empty = (await get(b, '/ai/forecast?months=12').expect(200)).body;
    expect(empty.total.months).toHaveLength(12);
    expect(empty.total.sum.total).toBe(0);
    expect(empty.total.explanation.en).toMatch(/no history/i);
  });

  it('finds anomalies after transactions are created, takes dismiss and "this is normal", and notifies', async () => {
    await post(a, '/transactions/bulk', {
      items: [
        {
          date: '2026-06-02',
          amount: 399_000,
          type: 'expense',
          description: 'Friskis',
          supplierId: ids['Friskis Gym'],
        },
        {
          date: '2026-06-08',
          amount: 71_500,
          type: 'expense',
          description: 'ICA MAXI',
          supplierId: ids['ICA Maxi'],
        },
        {
          date: '2026-06-09',
          amount: 71_500,
          type: 'expense',
          description: 'ICA MAXI',
          supplierId: ids['ICA Maxi'],
        },
      ],
    }).expect(201);
    const found = await until(async () => {
      const list = await anomalies(a);
      const unusual = list.find((x) => x.kind === 'unusual_amount');
      const duplicate = list.find((x) => x.kind === 'duplicate_charge');
      return unusual && duplicate ? { unusual, duplicate } : undefined;
    }, 'the unusual amount and the duplicate charge');
    expect(found.unusual).toMatchObject({ severity: 'high', status: 'open', amount: 399_000 });
    expect(found.unusual.records.supplierId).toBe(ids['Friskis Gym']);
    expect(found.unusual.reason.sv).toContain('Friskis Gym');
    expect(found.duplicate.records.transactionIds).toHaveLength(2);
    expect(found.duplicate.reason.en).toContain('twice');
    expect(await anomalies(a, '&kind=duplicate_charge')).toHaveLength(1);
    expect(await anomalies(a, '&severity=high')).toEqual([
      expect.objectContaining({ kind: 'unusual_amount' }),
    ]);

    const notification = await until(async () => {
      const list = (await get(a, '/notifications?kind=anomaly').expect(200)).body.items as {
        kind: string;
        sourceId: string;
      }[];
      return list.find((n) => n.sourceId === found.unusual.id);
    }, 'the anomaly notification');
    expect(notification.kind).toBe('anomaly');

    const dismissed = (await post(a, `/ai/anomalies/${found.duplicate.id}/dismiss`).expect(200)).body;
    expect(dismissed).toMatchObject({ status: 'dismissed', resolvedBy: a.id });
    const normal = (await post(a, `/ai/anomalies/${found.unusual.id}/normal`).expect(200)).body;
    expect(normal.status).toBe('normal');
    expect(await anomalies(a, '&status=open')).toHaveLength(0);
    const audit = (await get(a, '/audit?action=ai.anomaly_marked_normal').expect(200)).body.items as {
      targetId: string;
    }[];
    expect(audit.map((e) => e.targetId)).toEqual([found.unusual.id]);

    // The gym's 3 990 kr is normal now: charged again it is not flagged; a large first payment elsewhere is.
    const elgiganten = (await post(a, '/suppliers', { name: 'Elgiganten' }).expect(201)).body.id as string;
    await post(a, '/transactions/bulk', {
      items: [
        {
          date: '2026-06-09',
          amount: 399_000,
          type: 'expense',
          description: 'Friskis',
          supplierId: ids['Friskis Gym'],
        },
        { date: '2026-06-10', amount: 1_499_000, type: 'expense', description: 'TV', supplierId: elgiganten },
      ],
    }).expect(201);
    await until(async () => (await anomalies(a)).find((x) => x.kind === 'new_merchant'), 'the new merchant');
    expect((await anomalies(a, '&kind=unusual_amount')).map((x) => x.id)).toEqual([found.unusual.id]);
  });

  it("answers another organization's anomaly like a missing one, and bad queries with 400", async () => {
    const [mine] = await anomalies(a);
    const missing = await get(b, '/ai/anomalies/A999999').expect(404);
    const foreign = await get(b, `/ai/anomalies/${mine.id}`).expect(404);
    expect(foreign.body).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
      details: { type: 'ai_anomaly' },
    });
    expect({ ...foreign.body, requestId: 0 }).toEqual({ ...missing.body, requestId: 0 });
    await post(b, `/ai/anomalies/${mine.id}/dismiss`).expect(404);
    expect(await anomalies(b)).toEqual([]);
    expect((await get(a, `/ai/anomalies/${mine.id}`).expect(200)).body.id).toBe(mine.id);

    for (const path of [
      '/ai/forecast?months=13',
      '/ai/forecast?months=0',
      '/ai/forecast?categories=nope',
      '/ai/anomalies?kind=nope',
      '/ai/anomalies?severity=extreme',
      '/ai/anomalies?from=2026-13',
      '/ai/anomalies?cursor=%%%',
    ]) {
      const res = await get(a, path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(typeof res.body.requestId).toBe('string');
    }
  });
});
