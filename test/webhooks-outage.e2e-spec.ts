import { Clock } from '../src/infrastructure/clock/clock';
import { OutboxService } from '../src/modules/webhooks/events/outbox.service';
import { WebhooksHealth } from '../src/modules/webhooks/deliveries/webhooks-health';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';
import { Receiver, signedBy } from './helpers/webhook-receivers';
import { settle } from './helpers/webhook-dispatch';

/**
 * The reliability target of issue 13 with the simulated Clock: the receiver is down (connections refused) for 30
 * minutes while 1 000 events happen; once it is back and the Clock has passed the retries' due times, all 1 000
 * arrive, none twice by webhook-id, and the events of one record arrive in the order they happened.
 */

const MINUTE = 60_000;
/**
 * 200 in the everyday suite (about 70 s; CI's 20-minute budget cannot hold the full run beside everything else);
 * `WEBHOOKS_OUTAGE_EVENTS=1000` runs the figure (measured: docs/webhooks.md, about 6 minutes here).
 */
const EVENTS = Number(process.env.WEBHOOKS_OUTAGE_EVENTS ?? 200);
const RECORDS = EVENTS / 10; // half the events: five ordered steps of each record

describe('webhooks: a 30-minute outage', () => {
  let t: TestApp;
  let a: TestUser;
  const receiver = new Receiver();
  const figures: Record<string, number | string> = {};

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ WEBHOOKS_ALLOWED_NETWORKS: '127.0.0.1/32' });
    a = await createUser(t);
    await activatePro(t, a.organizationId, 400);
  }, 180_000);

  afterAll(async () => {
    console.log('webhook outage figures', figures);
    await t.close();
    await receiver.close();
  });

  it(`delivers all ${EVENTS} events once each, in order per record, after the receiver comes back`, async () => {
    const clock = t.app.get(Clock);
    clock.travelTo(new Date('2026-12-02T08:00:00Z'));
    const created = await t.http
      .post('/api/v1/webhooks/endpoints')
      .set(a.auth)
      .send({
        name: 'Outage',
        url: receiver.url('/outage'),
        format: 'json',
        eventTypes: ['import.finished', 'transaction.created', 'transaction.updated'],
      })
      .expect(201);
    const secret = created.body.secret as string;
    const outbox = t.app.get(OutboxService);
    const started = Date.now();

    await receiver.down();
    // 1 000 events over 30 simulated minutes: per minute about 33, half of them a record's created → updated pair
    // (published with the record as order key), the rest independent; the dispatcher tries them as they come.
    let n = 0;
    const plan: { key: string; type: 'import.finished'; record: number | null; step: number }[] = [];
    for (let r = 0; r < RECORDS; r++)
      for (let step = 0; step < 5; step++)
        plan.push({ key: `r${r}-s${step}`, type: 'import.finished', record: r, step });
    for (let i = plan.length; i < EVENTS; i++)
      plan.push({ key: `free-${i}`, type: 'import.finished', record: null, step: 0 });
    // interleave: records' steps spread over the half hour
    plan.sort(
      (x, y) => x.step - y.step || (x.record ?? 1e9) - (y.record ?? 1e9) || x.key.localeCompare(y.key),
    );
    const perMinute = Math.ceil(EVENTS / 30);
    for (let minute = 0; minute < 30; minute++) {
      const batch = plan.slice(minute * perMinute, (minute + 1) * perMinute);
      // ten at a time, as concurrent requests would; a record's steps are never in one group (sorted by step)
      for (let i = 0; i < batch.length; i += 10)
        await Promise.all(
          batch
            .slice(i, i + 10)
            .map((p) =>
              outbox.publish(
                a.organizationId,
                p.type,
                { kind: 'test', n: n++, record: p.record, step: p.step },
                p.key,
                p.record === null ? {} : { orderKey: `record-${p.record}` },
              ),
            ),
        );
      await settle(t, 60_000);
      clock.advance(MINUTE);
    }
    figures.eventsPublished = n;
    figures.publishAndFailedAttemptsSeconds = (Date.now() - started) / 1000;
    const during = await t.app.get(WebhooksHealth).summary();
    figures.pendingAtRecovery = during.deliveriesPending;
    figures.oldestPendingAgeSecondsAtRecovery = during.oldestPendingAgeSeconds;
    expect(during.deliveriesPending).toBe(EVENTS);
    expect(during.endpointsFailing).toBe(1);
    expect(receiver.received).toHaveLength(0);

    await receiver.up();
    const back = Date.now();
    // The longest wait in the schedule so far is the 30-minute step (+20 % jitter) after attempt 4.
    for (let step = 0; step < 8; step++) {
      await settle(t, 120_000);
      if (receiver.received.length >= EVENTS) break;
      clock.advance(10 * MINUTE);
    }
    figures.drainSeconds = (Date.now() - back) / 1000;
    figures.totalSeconds = (Date.now() - started) / 1000;

    const ids = receiver.ids();
    figures.received = ids.length;
    figures.distinctWebhookIds = new Set(ids).size;
    expect(ids).toHaveLength(EVENTS);
    expect(new Set(ids).size).toBe(EVENTS);
    for (const r of receiver.received.slice(0, 20)) expect(signedBy(r, [secret])).toBe(true);

    const steps = new Map<number, number[]>();
    for (const r of receiver.received) {
      const data = (r.json as { data: { record: number | null; step: number } }).data;
      if (data.record !== null) steps.set(data.record, [...(steps.get(data.record) ?? []), data.step]);
    }
    expect(steps.size).toBe(RECORDS);
    for (const [, order] of steps) expect(order).toEqual([0, 1, 2, 3, 4]);

    const after = await t.app.get(WebhooksHealth).summary();
    expect(after).toMatchObject({ deliveriesPending: 0, endpointsFailing: 0 });
    const attempts = await t.db
      .collection('webhook_deliveries')
      .aggregate<{ _id: null; total: number }>([
        { $match: { organizationId: a.organizationId } },
        { $group: { _id: null, total: { $sum: '$attempts' } } },
      ])
      .toArray();
    figures.attemptsInAll = attempts[0]?.total ?? 0;
  }, 1_200_000);
});
