import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '../src/infrastructure/clock/clock';
import { ReminderJobs } from '../src/modules/reminders/runs/runs.jobs';
import { activatePro } from './helpers/billing';
import { BROADBAND } from './helpers/contracts';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The reminder engine over the real queue: the daily scan enqueues one run per organization, the run stores the
 * contracts' reminders once, lead by lead, obsoletes the ones whose occasion is gone; people list, snooze, finish
 * and turn kinds off; another organization sees none of it.
 */

const api = (path: string) => `/api/v1${path}`;

interface Reminder {
  id: string;
  kind: string;
  sourceId: string;
  title: string;
  lead: string;
  remindOn: string;
  dueDate: string | null;
  amount: number | null;
}

describe('reminders', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let contractId: string;
  let day = '';

  const clock = () => t.app.get(Clock);
  /** Sets the clock to noon of a Stockholm day and runs that day's reminders through the queue. */
  const runDay = async (date: string) => {
    day = date;
    clock().travelTo(new Date(`${date}T10:00:00Z`));
    const jobs = t.app.get(ReminderJobs);
    await jobs.scan({ date });
    // The per-organization runs are queued: wait until both organizations' runs are done.
    const queue = (await import('bullmq')).Queue;
    const q = new queue('reminders', {
      connection: { url: t.config.redis.url },
      prefix: `${t.config.redis.prefix}:bull`,
    });
    try {
      for (let i = 0; i < 200; i += 1) {
        const [waiting, active, delayed] = await Promise.all([
          q.getWaitingCount(),
          q.getActiveCount(),
          q.getDelayedCount(),
        ]);
        if (waiting + active + delayed === 0) return;
        await sleep(50);
      }
      throw new Error('reminder runs did not finish');
    } finally {
      await q.close();
    }
  };
  const list = async (user: TestUser, query = '') =>
    (
      await t.http
        .get(api(`/reminders${query}`))
        .set(user.auth)
        .expect(200)
    ).body.items as Reminder[];

  beforeAll(async () => {
    t = await startTestApp();
    clock().travelTo(new Date('2026-09-01T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
    const contract = await t.http
      .post(api('/contracts'))
      .set(a.auth)
      .send({
        ...BROADBAND,
        priceSteps: [{ from: '2026-10-20', amount: 44_900 }],
      })
      .expect(201);
    contractId = contract.body.id;
  });

  afterAll(() => t.close());

  it('nothing is due before the first lead day', async () => {
    await runDay('2026-09-13');
    expect(await list(a)).toEqual([]);
  });

  it('stores the 30-day reminders on the lead day, once however often the day runs', async () => {
    await runDay('2026-09-14');
    await t.app.get(ReminderJobs).scan({ date: '2026-09-14' }); // a second worker's scan: same job ids
    await runDay('2026-09-14');
    const due = await list(a);
    expect(due).toEqual([
      expect.objectContaining({
        kind: 'contract.cancel',
        sourceId: contractId,
        lead: 'd30',
        remindOn: '2026-09-14',
        dueDate: '2026-10-14',
        title: 'Sista dag att säga upp Bahnhof Fiber: 2026-10-14',
      }),
    ]);
    const english = await list(a, '?locale=en');
    expect(english[0]?.title).toBe('Last day to cancel Bahnhof Fiber: 2026-10-14');
    const stored = await t.db.collection('reminders').countDocuments({});
    expect(stored).toBe(1);
  });

  it('adds the price change on its lead day and the 7-day reminder a week before the deadline', async () => {
    await runDay('2026-09-20');
    const withPrice = await list(a);
    expect(withPrice.map((r) => `${r.kind}:${r.lead}`).sort()).toEqual([
      'contract.cancel:d30',
      'contract.price:d30',
    ]);
    const price = withPrice.find((r) => r.kind === 'contract.price');
    expect(price).toMatchObject({ dueDate: '2026-10-20', amount: 44_900 });
    expect(price?.title).toMatch(/^Nytt pris för Bahnhof Fiber från 2026-10-20: 449,00\skr$/);

    await runDay('2026-10-07');
    const week = await list(a);
    expect(
      week
        .filter((r) => r.kind === 'contract.cancel')
        .map((r) => r.lead)
        .sort(),
    ).toEqual(['d30', 'd7']);
  });

  it('snoozes, finishes and hides kinds per person', async () => {
    const [first] = (await list(a)).filter((r) => r.kind === 'contract.cancel' && r.lead === 'd30');
    const snoozed = await t.http
      .post(api(`/reminders/${first.id}/snooze`))
      .set(a.auth)
      .send({ until: '2026-10-09' })
      .expect(200);
    expect(snoozed.body.snoozedUntil).toBe('2026-10-09');
    expect((await list(a)).some((r) => r.id === first.id)).toBe(false);
    expect((await list(a, '?due=2026-10-10')).some((r) => r.id === first.id)).toBe(true);
    const past = await t.http
      .post(api(`/reminders/${first.id}/snooze`))
      .set(a.auth)
      .send({ until: day })
      .expect(422);
    expect(past.body.code).toBe('INVALID_SNOOZE');

    await t.http
      .post(api(`/reminders/${first.id}/done`))
      .set(a.auth)
      .expect(200);
    expect((await list(a, '?due=2026-10-10')).some((r) => r.id === first.id)).toBe(false);
    await t.http
      .post(api(`/reminders/${first.id}/done`))
      .set(a.auth)
      .expect(404);

    const settings = await t.http
      .put(api('/reminders/settings'))
      .set(a.auth)
      .send({ kinds: { 'contract.price': false } })
      .expect(200);
    expect(settings.body.kinds).toEqual(expect.arrayContaining([{ kind: 'contract.price', enabled: false }]));
    expect((await list(a)).some((r) => r.kind === 'contract.price')).toBe(false);
    await t.http
      .put(api('/reminders/settings'))
      .set(a.auth)
      .send({ kinds: { 'contract.price': true } })
      .expect(200);
    expect((await list(a)).some((r) => r.kind === 'contract.price')).toBe(true);
    await t.http
      .put(api('/reminders/settings'))
      .set(a.auth)
      .send({ kinds: { yacht: true } })
      .expect(400);
  });

  it('another organization sees none of it and reaches none of it', async () => {
    expect(await list(b)).toEqual([]);
    const [mine] = await list(a);
    const foreign = await t.http
      .post(api(`/reminders/${mine.id}/done`))
      .set(b.auth)
      .expect(404);
    const missing = await t.http.post(api('/reminders/A999999/done')).set(b.auth).expect(404);
    expect({ ...foreign.body, requestId: undefined }).toEqual({ ...missing.body, requestId: undefined });
  });

  it('obsoletes the deadline reminders when the contract is cancelled', async () => {
    await t.http
      .post(api(`/contracts/${contractId}/cancel`))
      .set(a.auth)
      .send({})
      .expect(200);
    await runDay('2026-10-08');
    const left = await list(a);
    expect(left.filter((r) => r.kind === 'contract.cancel')).toEqual([]);
    // the price change before the end date stays
    expect(left.map((r) => r.kind)).toEqual(['contract.price']);
  });

  it('reminds of a bill a week and a day before it is due, until it is paid', async () => {
    const supplier = (await t.http.post(api('/suppliers')).set(a.auth).send({ name: 'Ellevio' }).expect(201))
      .body;
    const bill = (
      await t.http
        .post(api('/bills'))
        .set(a.auth)
        .send({ supplierId: supplier.id, amount: 123_450, dueDate: '2026-10-30', invoiceNumber: 'E-1' })
        .expect(201)
    ).body;
    await runDay('2026-10-23');
    const due = (await list(a)).filter((r) => r.kind === 'bill.due');
    expect(due).toEqual([expect.objectContaining({ sourceId: bill.id, lead: 'd7', dueDate: '2026-10-30' })]);
    expect(due[0]?.title).toMatch(/^Räkning från Ellevio på 1\s234,50\skr förfaller 2026-10-30$/);
    await t.http
      .patch(api(`/bills/${bill.id}`))
      .set(a.auth)
      .send({ status: 'paid' })
      .expect(200);
    await runDay('2026-10-24');
    expect((await list(a)).some((r) => r.kind === 'bill.due')).toBe(false);
  });

  it('a record in the trash takes its reminder along, and a restore brings the same reminder back', async () => {
    const warranty = (
      await t.http
        .post(api('/warranties'))
        .set(a.auth)
        .send({ item: 'Kaffebryggare', purchaseDate: '2024-11-11', length: { count: 2, unit: 'years' } })
        .expect(201)
    ).body as { id: string };
    await runDay('2026-10-27');
    const [reminder] = (await list(a)).filter((r) => r.sourceId === warranty.id);
    expect(reminder).toMatchObject({ kind: 'warranty.expiry', dueDate: '2026-11-10', lead: 'd30' });
    const undo = (
      await t.http
        .delete(api(`/warranties/${warranty.id}`))
        .set(a.auth)
        .expect(200)
    ).body;
    await runDay('2026-10-28');
    expect((await list(a)).some((r) => r.sourceId === warranty.id)).toBe(false);
    await t.http.post(undo.undo.href).set(a.auth).expect(200);
    await runDay('2026-10-29');
    expect((await list(a)).filter((r) => r.sourceId === warranty.id).map((r) => r.id)).toEqual([reminder.id]);
  });

  it('checks a record the moment it changes, and each morning only the records due that day', async () => {
    clock().travelTo(new Date('2026-11-02T10:00:00Z'));
    const supplier = (
      await t.http.post(api('/suppliers')).set(a.auth).send({ name: 'Vattenfall' }).expect(201)
    ).body;
    const bill = (
      await t.http
        .post(api('/bills'))
        .set(a.auth)
        .send({ supplierId: supplier.id, amount: 50_000, dueDate: '2026-11-05', invoiceNumber: 'V-1' })
        .expect(201)
    ).body;
    // No run: saving the bill checked it.
    expect((await list(a, '?due=2026-11-02')).filter((r) => r.sourceId === bill.id)).toEqual([
      expect.objectContaining({ kind: 'bill.due', lead: 'd7', dueDate: '2026-11-05' }),
    ]);
    await t.http
      .delete(api(`/bills/${bill.id}`))
      .set(a.auth)
      .expect(200);
    expect((await list(a, '?due=2026-11-02')).some((r) => r.sourceId === bill.id)).toBe(false);

    const warranty = (
      await t.http
        .post(api('/warranties'))
        .set(a.auth)
        .send({ item: 'Diskmaskin', purchaseDate: '2025-01-31', length: { count: 2, unit: 'years' } })
        .expect(201)
    ).body as { id: string };
    // Two months pass without a scan; the next scan reads every day missed and finds the warranty's lead day.
    const jobs = t.app.get(ReminderJobs);
    const idle = await jobs.scan({ date: '2026-11-03' });
    expect(idle).toMatchObject({ days: expect.any(Number), full: 0 });
    const scan = await jobs.scan({ date: '2027-01-05' });
    expect(scan).toMatchObject({ full: 0, checked: 1 }); // organization B has nothing due: no run at all
    await runDay('2027-01-05');
    expect((await list(a, '?due=2027-01-05')).filter((r) => r.sourceId === warranty.id)).toEqual([
      expect.objectContaining({
        kind: 'warranty.expiry',
        lead: 'd30',
        dueDate: '2027-01-30',
        remindOn: '2026-12-31',
      }),
    ]);
  });
});
