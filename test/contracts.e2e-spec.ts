import { Clock } from '../src/infrastructure/clock/clock';
import { activatePro } from './helpers/billing';
import { BROADBAND } from './helpers/contracts';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Contracts and subscriptions over HTTP: schedule, price history, notice and the last day to cancel on a fixed
 * Swedish day, statistics, trash round trip, audit entries, and organization B never reaching organization A's.
 */

const api = (path: string) => `/api/v1${path}`;

interface Contract {
  id: string;
  status: string;
  amount: number;
  prices: { from: string; amount: number }[];
  cancelledOn: string | null;
  endDate: string | null;
  outlook: Record<string, unknown> & { nextPayments: { date: string; amount: number }[] };
}

describe('contracts', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let supplierId: string;

  const post = (user: TestUser, path: string, body: object) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);

  const broadband = BROADBAND;

  beforeAll(async () => {
    t = await startTestApp();
    // 2026-10-13 at noon in Stockholm: the day before the broadband's last day to cancel.
    t.app.get(Clock).travelTo(new Date('2026-10-13T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
    supplierId = (await post(a, '/suppliers', { name: 'Bahnhof AB' }).expect(201)).body.id;
  });

  afterAll(() => t.close());

  it('computes the outlook of a bound contract that renews: the last day to cancel and the savings', async () => {
    const res = await post(a, '/contracts', { ...broadband, providerId: supplierId }).expect(201);
    const c = res.body as Contract;
    expect(c).toMatchObject({
      status: 'active',
      amount: 39_900,
      frequency: 'monthly',
      everyMonths: null,
      providerId: supplierId,
      prices: [{ from: '2026-01-15', amount: 39_900 }],
      notice: { unit: 'month', count: 3 },
    });
    expect(c.outlook).toMatchObject({
      today: '2026-10-13',
      boundUntil: '2027-01-14',
      lastDayToCancel: '2026-10-14',
      endsIfCancelledToday: '2027-01-14',
      renewsOn: '2027-01-15',
      monthlyCost: 39_900,
      yearlyCost: 478_800,
      costSoFar: 9 * 39_900, // Jan 15 … Sep 15
      savingsIfCancelledToday: 0, // bound through 2027-01-14
    });
    expect(c.outlook.nextPayments.map((p) => p.date)).toEqual(['2026-10-15', '2026-11-15', '2026-12-15']);
  });

  it('cancels at the end of the term the notice reaches, and takes the notice back', async () => {
    const c = (await post(a, '/contracts', broadband).expect(201)).body as Contract;
    const cancelled = (await post(a, `/contracts/${c.id}/cancel`, {}).expect(200)).body as Contract;
    expect(cancelled).toMatchObject({ status: 'ending', cancelledOn: '2026-10-13', endDate: '2027-01-14' });
    expect(cancelled.outlook.nextPayments.map((p) => p.date)).toEqual([
      '2026-10-15',
      '2026-11-15',
      '2026-12-15',
    ]);
    const again = await post(a, `/contracts/${c.id}/cancel`, {}).expect(409);
    expect(again.body).toMatchObject({ code: 'CONTRACT_ALREADY_ENDED', details: { endDate: '2027-01-14' } });

    const back = (await post(a, `/contracts/${c.id}/reactivate`, {}).expect(200)).body as Contract;
    expect(back).toMatchObject({ status: 'active', cancelledOn: null, endDate: null });
    expect((await post(a, `/contracts/${c.id}/reactivate`, {}).expect(409)).body.code).toBe(
      'CONTRACT_NOT_CANCELLED',
    );

    // A notice recorded late keeps the day it was given.
    const late = (await post(a, `/contracts/${c.id}/cancel`, { noticeDate: '2026-10-01' }).expect(200))
      .body as Contract;
    expect(late).toMatchObject({ cancelledOn: '2026-10-01', endDate: '2027-01-14' });
    await post(a, `/contracts/${c.id}/reactivate`, {}).expect(200);
    const future = await post(a, `/contracts/${c.id}/cancel`, { noticeDate: '2026-10-20' }).expect(422);
    expect(future.body).toMatchObject({ code: 'INVALID_SCHEDULE', details: { field: 'noticeDate' } });
  });

  it('keeps the price history, counts the increase, and saves what a month-to-month contract would cost', async () => {
    const streaming = (
      await post(a, '/contracts', {
        name: 'Netflix Standard',
        kind: 'streaming',
        frequency: 'monthly',
        amount: 9_900,
        startDate: '2025-11-03',
        notice: null,
        priceSteps: [{ from: '2026-02-03', amount: 13_900 }],
      }).expect(201)
    ).body as Contract;
    expect(streaming.amount).toBe(13_900);
    const raised = (
      await post(a, `/contracts/${streaming.id}/prices`, { from: '2026-11-03', amount: 15_900 }).expect(200)
    ).body as Contract;
    expect(raised.prices.map((p) => p.amount)).toEqual([9_900, 13_900, 15_900]);
    expect(raised.amount).toBe(13_900); // still today's price until Nov 3
    expect(raised.outlook).toMatchObject({ endsIfCancelledToday: '2026-10-13', lastDayToCancel: null });
    // Cancelled today with no notice period: the Nov 3 and Dec 3 payments are saved.
    expect(raised.outlook.savingsIfCancelledToday).toBe(2 * 15_900);
    const tooEarly = await post(a, `/contracts/${streaming.id}/prices`, {
      from: '2025-01-01',
      amount: 100,
    }).expect(422);
    expect(tooEarly.body.code).toBe('INVALID_SCHEDULE');

    const stats = (await get(a, '/contracts/stats?months=2').expect(200)).body;
    expect(stats.priceIncreases).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          contractId: streaming.id,
          from: '2026-02-03',
          before: 9_900,
          after: 13_900,
          yearlyIncrease: 48_000,
        }),
      ]),
    );
    // The Nov 3 step lies in the future: not an increase yet.
    expect(stats.priceIncreases.some((p: { from: string }) => p.from === '2026-11-03')).toBe(false);
    expect(stats.upcoming.map((m: { period: string }) => m.period)).toEqual(['2026-10', '2026-11']);
    const november = stats.upcoming[1] as { payments: { contractId: string; amount: number }[] };
    expect(november.payments).toEqual(
      expect.arrayContaining([expect.objectContaining({ contractId: streaming.id, amount: 15_900 })]),
    );
    expect(stats.history).toHaveLength(12);
    expect(stats.byKind.find((g: { key: string }) => g.key === 'streaming')).toMatchObject({
      count: 1,
      monthly: 13_900,
    });
  });

  it('records variable amounts, from the transaction that paid them, in the cost so far and the statistics', async () => {
    const power = (
      await post(a, '/contracts', {
        name: 'Ellevio elnät',
        kind: 'electricity',
        frequency: 'monthly',
        amount: 80_000,
        variableAmount: true,
        startDate: '2026-06-01',
      }).expect(201)
    ).body as Contract;
    const categories = (await get(a, '/categories?kind=expense').expect(200)).body as { id: string }[];
    const paid = (
      await post(a, '/transactions', {
        date: '2026-07-01',
        amount: 93_210,
        type: 'expense',
        description: 'Ellevio juli',
        categoryId: categories[0].id,
      }).expect(201)
    ).body as { id: string };
    const july = await t.http
      .put(api(`/contracts/${power.id}/payments/2026-07-01`))
      .set(a.auth)
      .send({ transactionId: paid.id })
      .expect(200);
    expect(july.body).toMatchObject({
      date: '2026-07-01',
      scheduledAmount: 80_000,
      amount: 93_210,
      recorded: true,
    });
    await t.http
      .put(api(`/contracts/${power.id}/payments/2026-08-01`))
      .set(a.auth)
      .send({ amount: 61_000 })
      .expect(200);
    const list = (await get(a, `/contracts/${power.id}/payments?from=2026-06-01&to=2026-09-30`).expect(200))
      .body.items;
    expect(list.map((p: { amount: number }) => p.amount)).toEqual([80_000, 93_210, 61_000, 80_000]);
    // Jun 1 … Oct 1: three scheduled, two recorded
    expect((await get(a, `/contracts/${power.id}`).expect(200)).body.outlook.costSoFar).toBe(
      3 * 80_000 + 93_210 + 61_000,
    );
    const stats = (await get(a, '/contracts/stats').expect(200)).body as {
      history: { period: string; total: number }[];
    };
    expect(stats.history.find((m) => m.period === '2026-07')!.total).toBeGreaterThanOrEqual(93_210);

    const notPaid = await t.http
      .put(api(`/contracts/${power.id}/payments/2026-07-02`))
      .set(a.auth)
      .send({ amount: 1 });
    expect(notPaid.status).toBe(404); // no payment on that day
    expect(notPaid.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'contract_payment' } });
    const badDate = await t.http
      .put(api(`/contracts/${power.id}/payments/2026-02-30`))
      .set(a.auth)
      .send({ amount: 1 });
    expect({ ...badDate.body, requestId: undefined }).toEqual({ ...notPaid.body, requestId: undefined });
    const nothing = await t.http
      .put(api(`/contracts/${power.id}/payments/2026-09-01`))
      .set(a.auth)
      .send({})
      .expect(400);
    expect(nothing.body.code).toBe('VALIDATION_FAILED');
    const foreign = await t.http
      .put(api(`/contracts/${power.id}/payments/2026-09-01`))
      .set(b.auth)
      .send({ amount: 1 })
      .expect(404);
    expect(foreign.body.details).toEqual({ type: 'contract' });

    await t.http
      .delete(api(`/contracts/${power.id}/payments/2026-08-01`))
      .set(a.auth)
      .expect(200);
    expect((await get(a, `/contracts/${power.id}`).expect(200)).body.outlook.costSoFar).toBe(
      4 * 80_000 + 93_210,
    );
    await t.http
      .delete(api(`/contracts/${power.id}/payments/2026-08-01`))
      .set(a.auth)
      .expect(404);
  });

  it('lists by status, kind and name', async () => {
    const ended = (
      await post(a, '/contracts', {
        name: 'Gammalt gym',
        kind: 'membership',
        frequency: 'yearly',
        amount: 250_000,
        startDate: '2024-03-01',
        endDate: '2026-02-28',
      }).expect(201)
    ).body as Contract;
    expect(ended.status).toBe('ended');
    const byStatus = (await get(a, '/contracts?status=ended').expect(200)).body.items as Contract[];
    expect(byStatus.map((c) => c.id)).toEqual([ended.id]);
    const byKind = (await get(a, '/contracts?kind=membership').expect(200)).body.items as Contract[];
    expect(byKind.map((c) => c.id)).toEqual([ended.id]);
    const byName = (await get(a, '/contracts?q=GYM').expect(200)).body.items as Contract[];
    expect(byName.map((c) => c.id)).toEqual([ended.id]);
    const page = await get(a, '/contracts?limit=2').expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(typeof page.body.nextCursor).toBe('string');
  });

  it('refuses bad input with clear 4xx errors', async () => {
    const bad = async (body: object, status: number, code: string) => {
      const res = await post(a, '/contracts', { ...broadband, ...body }).expect(status);
      expect(res.body.code).toBe(code);
      return res.body;
    };
    await bad({ amount: 12.5 }, 400, 'VALIDATION_FAILED');
    await bad({ startDate: '2026-02-30' }, 400, 'VALIDATION_FAILED');
    await bad({ kind: 'yacht' }, 400, 'VALIDATION_FAILED');
    await bad({ frequency: 'every_n_months' }, 422, 'INVALID_SCHEDULE');
    await bad({ endDate: '2025-01-01' }, 422, 'INVALID_SCHEDULE');
    await bad({ priceSteps: [{ from: '2026-01-15', amount: 1 }] }, 422, 'INVALID_SCHEDULE');
    expect(await bad({ providerId: 'A999999' }, 400, 'INVALID_REFERENCE')).toMatchObject({
      details: { field: 'providerId' },
    });
    await t.http.patch(api('/contracts/A000001')).set(a.auth).send({ name: 'x' }).expect(404);
    await t.http.patch(api('/contracts/A000001')).set(a.auth).send({}).expect(400);
  });

  it('moves a contract to the trash and back, audited', async () => {
    const c = (await post(a, '/contracts', { ...broadband, name: 'Telia Mobil' }).expect(201))
      .body as Contract;
    await t.http
      .patch(api(`/contracts/${c.id}`))
      .set(a.auth)
      .send({ notes: 'Familjeabonnemang' })
      .expect(200);
    const undo = (
      await t.http
        .delete(api(`/contracts/${c.id}`))
        .set(a.auth)
        .expect(200)
    ).body;
    await get(a, `/contracts/${c.id}`).expect(404);
    await t.http.post(undo.undo.href).set(a.auth).expect(200);
    expect((await get(a, `/contracts/${c.id}`).expect(200)).body.notes).toBe('Familjeabonnemang');

    const audit = await get(a, `/audit?targetId=${c.id}`).expect(200);
    const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['contract.created', 'contract.updated', 'contract.deleted']),
    );
  });

  describe('organization B cannot read or write organization A', () => {
    let contract: Contract;
    beforeAll(async () => {
      contract = (await post(a, '/contracts', { ...broadband, name: 'A:s avtal' }).expect(201))
        .body as Contract;
    });

    it('answers like a missing record and never lists A’s contracts', async () => {
      const missing = (await get(b, '/contracts/A999998').expect(404)).body;
      const foreign = (await get(b, `/contracts/${contract.id}`).expect(404)).body;
      expect({ ...foreign, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
      await t.http
        .patch(api(`/contracts/${contract.id}`))
        .set(b.auth)
        .send({ name: 'x' })
        .expect(404);
      await post(b, `/contracts/${contract.id}/cancel`, {}).expect(404);
      await post(b, `/contracts/${contract.id}/prices`, { from: '2026-11-01', amount: 1 }).expect(404);
      await t.http
        .delete(api(`/contracts/${contract.id}`))
        .set(b.auth)
        .expect(404);
      expect((await get(b, '/contracts').expect(200)).body.items).toEqual([]);
      expect((await get(b, '/contracts/stats').expect(200)).body.running).toBe(0);
      // A's supplier as B's provider
      const ref = await post(b, '/contracts', { ...broadband, providerId: supplierId }).expect(400);
      expect(ref.body.code).toBe('INVALID_REFERENCE');
    });
  });
});
