import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { ReminderRunsService } from '../src/modules/reminders/runs/runs.service';
import { OutboxService } from '../src/modules/webhooks/events/outbox.service';
import { WebhooksHealth } from '../src/modules/webhooks/deliveries/webhooks-health';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';
import {
  discordPayload,
  homeAssistantPayload,
  Receiver,
  signedBy,
  slackPayload,
  standardPayload,
  verifyNow,
  type Received,
} from './helpers/webhook-receivers';
import { settle } from './helpers/webhook-dispatch';

/**
 * Webhooks over HTTP against local receivers (loopback allowed by WEBHOOKS_ALLOWED_NETWORKS in this app only; the
 * guard itself is tested in webhooks-ssrf.e2e-spec.ts): the catalogue, endpoint CRUD with the trash and the audit
 * log, Standard Webhooks signatures verified with the `standardwebhooks` package, the four formats validated
 * against schemas of the platforms' documented limits, retries with the Clock, Retry-After, 410, five days of
 * failures, rotation, replays, reminders, the outbox's idempotency, read-only mode and organization B.
 */

const api = (path: string) => `/api/v1${path}`;
const HOUR = 3600 * 1000;

describe('webhooks', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let clock: Clock;
  const receiver = new Receiver();

  const post = (user: TestUser, path: string, body: object = {}) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);
  const patch = (user: TestUser, path: string, body: object) =>
    t.http.patch(api(path)).set(user.auth).send(body);
  const del = (user: TestUser, path: string) => t.http.delete(api(path)).set(user.auth);

  const endpoint = async (user: TestUser, body: Record<string, unknown>) =>
    (
      await post(user, '/webhooks/endpoints', {
        name: 'Test',
        url: receiver.url(`/${Math.random().toString(36).slice(2)}`),
        format: 'json',
        ...body,
      }).expect(201)
    ).body as { id: string; secret: string; url: string };

  /** Requests the receiver got on `path` (each endpoint gets its own path). */
  const at = (path: string): Received[] => receiver.received.filter((r) => r.path === path);
  const pathOf = async (user: TestUser, id: string) => {
    const ep = (await get(user, `/webhooks/endpoints/${id}`).expect(200)).body as { url: string };
    return new URL(ep.url).pathname;
  };

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ WEBHOOKS_ALLOWED_NETWORKS: '127.0.0.1/32' });
    clock = t.app.get(Clock);
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
  });

  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  beforeEach(() => {
    receiver.respond = () => ({ status: 200 });
  });

  it('lists every event type with an example payload', async () => {
    const events = (await get(a, '/webhooks/events').expect(200)).body as {
      type: string;
      title: { sv: string; en: string };
      ordered: boolean;
      example: unknown;
    }[];
    const types = events.map((e) => e.type);
    for (const type of [
      'transaction.created',
      'transaction.updated',
      'transaction.deleted',
      'bill.created',
      'contract.created',
      'car_event.created',
      'warranty.updated',
      'insurance_policy.created',
      'maintenance_task.deleted',
      'upload.created',
      'category.created',
      'supplier.updated',
      'contract.ending_soon',
      'warranty.expiring',
      'reminder.due',
      'image.uploaded',
      'bank_line.matched',
      'import.finished',
      'billing.changed',
    ])
      expect(types).toContain(type);
    for (const e of events) expect(standardPayload.safeParse(e.example).success).toBe(true);
    expect(events.find((e) => e.type === 'contract.updated')).toMatchObject({
      title: { sv: 'Avtal ändrat', en: 'Contract updated' },
      ordered: true,
    });
  });

  it('creates an endpoint with its secret shown once, masks the URL, audits, and trashes and restores it', async () => {
    const created = await endpoint(a, {
      name: 'Hemma',
      url: receiver.url('/api/webhook/supersecretwebhookid'),
      eventTypes: ['supplier.created'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.url).toBe(`http://127.0.0.1:${receiver.port}/api/webhook/••••okid`);
    const shown = (await get(a, `/webhooks/endpoints/${created.id}`).expect(200)).body;
    expect(shown).not.toHaveProperty('secret');
    expect(JSON.stringify(shown)).not.toContain('supersecret');
    expect(shown).toMatchObject({
      enabled: true,
      format: 'json',
      language: 'sv',
      eventTypes: ['supplier.created'],
    });
    expect(shown.secrets).toHaveLength(1);

    const changed = await patch(a, `/webhooks/endpoints/${created.id}`, {
      name: 'Hemma 2',
      language: 'en',
    }).expect(200);
    expect(changed.body).toMatchObject({ name: 'Hemma 2', language: 'en' });
    await patch(a, `/webhooks/endpoints/${created.id}`, {}).expect(400);
    const unknown = await patch(a, `/webhooks/endpoints/${created.id}`, { eventTypes: ['nope.nope'] }).expect(
      400,
    );
    expect(unknown.body.code).toBe('VALIDATION_FAILED');

    const audit = (await get(a, `/audit?targetId=${created.id}`).expect(200)).body.items as {
      action: string;
    }[];
    expect(audit.map((e) => e.action)).toEqual(['webhook_endpoint.updated', 'webhook_endpoint.created']);
    expect(JSON.stringify(audit)).not.toMatch(/whsec_|supersecret|urlCipher/);

    const undo = (await del(a, `/webhooks/endpoints/${created.id}`).expect(200)).body;
    expect(undo).toMatchObject({ id: created.id, type: 'webhook_endpoint' });
    await get(a, `/webhooks/endpoints/${created.id}`).expect(404);
    await post(a, '/suppliers', { name: 'Ingen mottagare AB' }).expect(201);
    await post(a, `/trash/${created.id}/restore`).expect(200);
    await get(a, `/webhooks/endpoints/${created.id}`).expect(200);
    await settle(t);
    expect(at('/api/webhook/supersecretwebhookid')).toHaveLength(0);
    await del(a, `/webhooks/endpoints/${created.id}`).expect(200);
  });

  it('delivers an audited change as a signed Standard Webhooks JSON message', async () => {
    const ep = await endpoint(a, {
      eventTypes: ['supplier.created', 'supplier.updated', 'supplier.deleted'],
    });
    const path = await pathOf(a, ep.id);
    const supplier = (await post(a, '/suppliers', { name: 'Vattenfall AB' }).expect(201)).body;
    await patch(a, `/suppliers/${supplier.id}`, { name: 'Vattenfall' }).expect(200);
    await del(a, `/suppliers/${supplier.id}`).expect(200);
    await settle(t);
    const got = at(path);
    expect(got.map((r) => (r.json as { type: string }).type)).toEqual([
      'supplier.created',
      'supplier.updated',
      'supplier.deleted',
    ]);
    for (const r of got) {
      expect(standardPayload.parse(r.json)).toBeTruthy();
      expect(verifyNow(r, ep.secret)).toEqual(r.json);
      expect(r.headers['webhook-id']).toMatch(/^msg_/);
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(got[0].json).toMatchObject({
      data: {
        id: supplier.id,
        recordType: 'supplier',
        organizationId: a.organizationId,
        changes: { after: { name: 'Vattenfall AB' } },
      },
    });
    expect(got[1].json).toMatchObject({
      data: { changes: { before: { name: 'Vattenfall AB' }, after: { name: 'Vattenfall' } } },
    });

    const log = (await get(a, `/webhooks/endpoints/${ep.id}/deliveries`).expect(200)).body.items as {
      status: string;
      attempts: number;
      log: { statusCode: number; durationMs: number }[];
      messageId: string;
    }[];
    expect(log).toHaveLength(3);
    for (const d of log) {
      expect(d).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(d.log[0].statusCode).toBe(200);
      expect(d.log[0].durationMs).toBeGreaterThanOrEqual(0);
    }
    const message = (await get(a, `/webhooks/messages/${log[0].messageId.slice(4)}`).expect(200)).body;
    expect(message.type).toBe('supplier.deleted');
    await del(a, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  it('renders Discord, Slack and Home Assistant bodies within the platforms’ limits', async () => {
    const types = [
      'bill.created',
      'contract.created',
      'warranty.created',
      'category.created',
      'transaction.created',
    ];
    const eps = {
      discord: await endpoint(a, { format: 'discord', eventTypes: types }),
      slack: await endpoint(a, { format: 'slack', eventTypes: types, language: 'en' }),
      home_assistant: await endpoint(a, { format: 'home_assistant', eventTypes: types }),
    };
    const long = 'Lång anteckning med <tecken> & "citat" '.repeat(60);
    const category = (await post(a, '/categories', { name: 'Webhookkategori', kind: 'expense' }).expect(201))
      .body;
    const telia = (await post(a, '/suppliers', { name: 'Telia <AB> & Co' }).expect(201)).body;
    await post(a, '/bills', {
      supplierId: telia.id,
      amount: 49_900,
      dueDate: '2027-01-15',
      categoryId: category.id,
      description: long.slice(0, 480),
    }).expect(201);
    await post(a, '/contracts', {
      name: 'Bahnhof Fiber 250/250',
      kind: 'broadband',
      frequency: 'monthly',
      amount: 39_900,
      startDate: '2026-01-15',
    }).expect(201);
    await post(a, '/warranties', {
      item: 'Diskmaskin',
      purchaseDate: '2026-03-02',
      length: { count: 2, unit: 'years' },
    }).expect(201);
    await post(a, '/transactions', {
      date: '2026-11-30',
      amount: 12_345,
      type: 'expense',
      description: long.slice(0, 400),
      categoryId: category.id,
    }).expect(201);
    for (const id of Object.values(eps).map((e) => e.id))
      await post(a, `/webhooks/endpoints/${id}/test`).expect(200);
    await settle(t);
    const schemas = { discord: discordPayload, slack: slackPayload, home_assistant: homeAssistantPayload };
    for (const [format, ep] of Object.entries(eps)) {
      const got = at(await pathOf(a, ep.id));
      expect(got.length).toBeGreaterThanOrEqual(5);
      for (const r of got) {
        const parsed = schemas[format as keyof typeof schemas].safeParse(r.json);
        if (!parsed.success) throw new Error(`${format}: ${parsed.error.message}\n${r.body}`);
        expect(signedBy(r, [ep.secret])).toBe(true);
      }
    }
    const discord = at(await pathOf(a, eps.discord.id)).map((r) => r.json as { embeds: { title: string }[] });
    expect(discord.map((d) => d.embeds[0].title)).toEqual(
      expect.arrayContaining(['Räkning skapad', 'Avtal skapat', 'Garanti skapad', 'Testmeddelande']),
    );
    const ha = at(await pathOf(a, eps.home_assistant.id)).map((r) => r.json as Record<string, unknown>);
    expect(ha.find((h) => h.event_type === 'bill.created')).toMatchObject({
      title: 'Räkning skapad',
      record_type: 'bill',
    });
    for (const ep of Object.values(eps)) await del(a, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  it('retries on the schedule by the Clock, honours Retry-After, and shows every attempt', async () => {
    const ep = await endpoint(a, { eventTypes: ['category.created'] });
    const path = await pathOf(a, ep.id);
    const answers: { status: number; headers?: Record<string, string> }[] = [
      { status: 500 },
      { status: 429, headers: { 'retry-after': '900' } },
      { status: 200 },
    ];
    receiver.respond = () => answers.shift() ?? { status: 200 };
    await post(a, '/categories', { name: 'Retry-kategori', kind: 'expense' }).expect(201);
    await settle(t);
    const deliveries = async () =>
      (await get(a, `/webhooks/endpoints/${ep.id}/deliveries`).expect(200)).body.items as {
        id: string;
        status: string;
        attempts: number;
        nextAttemptAt: string | null;
        log: { statusCode: number | null; error: string | null }[];
      }[];
    let [d] = await deliveries();
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    const wait1 = new Date(d.nextAttemptAt!).getTime() - clock.now().getTime();
    expect(wait1).toBeGreaterThan(4_000);
    expect(wait1).toBeLessThanOrEqual(6_000);
    clock.advance(6_100);
    await settle(t);
    [d] = await deliveries();
    expect(d).toMatchObject({ status: 'pending', attempts: 2 });
    const wait2 = new Date(d.nextAttemptAt!).getTime() - clock.now().getTime();
    expect(wait2).toBeGreaterThan(899_000); // Retry-After 900 s beats the 5 min step
    clock.advance(5 * 60 * 1000);
    await settle(t);
    expect((await deliveries())[0].attempts).toBe(2); // not before Retry-After
    clock.advance(11 * 60 * 1000);
    await settle(t);
    [d] = await deliveries();
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(d.log.map((l) => l.statusCode)).toEqual([500, 429, 200]);
    expect(d.log.map((l) => l.error)).toEqual(['HTTP 500', 'HTTP 429', null]);
    const ids = new Set(at(path).map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1); // the same message id on every attempt
    await del(a, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  it('disables an endpoint that answers 410 and mails the owner', async () => {
    const ep = await endpoint(a, { name: 'Borta', eventTypes: ['category.created'] });
    receiver.respond = () => ({ status: 410 });
    await post(a, '/categories', { name: 'Gone-kategori', kind: 'expense' }).expect(201);
    await settle(t);
    const shown = (await get(a, `/webhooks/endpoints/${ep.id}`).expect(200)).body;
    expect(shown).toMatchObject({ enabled: false, disabledReason: 'gone' });
    const mail = await t.mail.waitFor(a.email, /Borta/);
    expect(mail.subject).toContain('avstängd');
    expect(mail.text).toContain('410 Gone');
    const audit = (await get(a, `/audit?targetId=${ep.id}`).expect(200)).body.items as {
      action: string;
      metadata: unknown;
    }[];
    expect(audit[0]).toMatchObject({ action: 'webhook_endpoint.disabled', metadata: { reason: 'gone' } });
    await post(a, '/categories', { name: 'Efter 410', kind: 'expense' }).expect(201);
    await settle(t);
    expect(at(await pathOf(a, ep.id))).toHaveLength(1);
    await post(a, `/webhooks/endpoints/${ep.id}/replay`, { since: '2020-01-01T00:00:00Z' }).expect(409);
    await del(a, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  it('disables an endpoint failing for five days, then replays what it missed once enabled again', async () => {
    const ep = await endpoint(a, { name: 'Nere', eventTypes: ['category.created'] });
    const path = await pathOf(a, ep.id);
    receiver.respond = () => ({ status: 503 });
    const started = clock.now();
    await post(a, '/categories', { name: 'Fem dagar 1', kind: 'expense' }).expect(201);
    await post(a, '/categories', { name: 'Fem dagar 2', kind: 'expense' }).expect(201);
    await settle(t);
    expect((await get(a, `/webhooks/endpoints/${ep.id}`).expect(200)).body.failingSince).toBeTruthy();
    clock.advance(5 * 24 * HOUR + 60_000);
    await settle(t);
    const shown = (await get(a, `/webhooks/endpoints/${ep.id}`).expect(200)).body;
    expect(shown).toMatchObject({ enabled: false, disabledReason: 'failing' });
    expect((await t.mail.waitFor(a.email, /Nere/)).text).toContain('5 dagar');
    const failed = (await get(a, `/webhooks/endpoints/${ep.id}/deliveries?status=failed`).expect(200)).body
      .items;
    expect(failed).toHaveLength(2);

    receiver.respond = () => ({ status: 200 });
    await post(a, `/webhooks/endpoints/${ep.id}/enable`).expect(200);
    const replayed = await post(a, `/webhooks/endpoints/${ep.id}/replay`, {
      since: started.toISOString(),
    }).expect(200);
    expect(replayed.body).toEqual({ replayed: 2 });
    await settle(t);
    const ok = at(path).filter((r) => r.json && (r.json as { type: string }).type === 'category.created');
    const delivered = (await get(a, `/webhooks/endpoints/${ep.id}/deliveries?status=succeeded`).expect(200))
      .body.items;
    expect(delivered).toHaveLength(2);
    expect(new Set(ok.map((r) => r.headers['webhook-id'])).size).toBe(2);

    const one = delivered[0] as { id: string; messageId: string };
    await post(a, `/webhooks/deliveries/${one.id}/replay`).expect(200);
    await settle(t);
    expect(at(path).filter((r) => r.headers['webhook-id'] === one.messageId).length).toBeGreaterThanOrEqual(
      2,
    );
    await del(a, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  it('signs with the old and the new secret during a rotation’s overlap, then with the new one only', async () => {
    const ep = await endpoint(a, { eventTypes: ['category.created'] });
    const path = await pathOf(a, ep.id);
    const rotated = (
      await post(a, `/webhooks/endpoints/${ep.id}/rotate-secret`, { overlapHours: 2 }).expect(200)
    ).body;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(ep.secret);
    expect(rotated.secrets).toHaveLength(2);
    await post(a, '/categories', { name: 'Rotation 1', kind: 'expense' }).expect(201);
    await settle(t);
    const [during] = at(path);
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(signedBy(during, [rotated.secret, ep.secret])).toBe(true);
    clock.advance(2 * HOUR + 1_000);
    await post(a, '/categories', { name: 'Rotation 2', kind: 'expense' }).expect(201);
    await settle(t);
    const after = at(path)[1];
    expect(signedBy(after, [rotated.secret])).toBe(true);
    expect((await get(a, `/webhooks/endpoints/${ep.id}`).expect(200)).body.secrets).toHaveLength(1);
    await del(a, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  it('sends warranty.expiring and reminder.due when the reminder run finds a warranty ending', async () => {
    const ep = await endpoint(a, {
      format: 'home_assistant',
      eventTypes: ['warranty.expiring', 'reminder.due'],
    });
    const path = await pathOf(a, ep.id);
    const today = new Date(clock.now().toISOString().slice(0, 10));
    const end = new Date(today.getTime() + 30 * 24 * HOUR).toISOString().slice(0, 10);
    await post(a, '/warranties', { item: 'Kylskåp', purchaseDate: '2025-01-01', endDate: end }).expect(201);
    const run = () =>
      t.app
        .get(RequestContext)
        .run({ tenant: { organizationId: a.organizationId, orgRole: 'owner' } }, () =>
          t.app.get(ReminderRunsService).run(today.toISOString().slice(0, 10)),
        );
    await run();
    await run(); // a rerun of the day sends nothing twice
    await settle(t);
    const got = at(path).map((r) => r.json as Record<string, unknown>);
    expect(got.map((g) => g.event_type).sort()).toEqual(['reminder.due', 'warranty.expiring']);
    expect(got[0]).toMatchObject({ kind: 'warranty.expiry', due_date: end });
    await del(a, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  it('writes the outbox idempotently: the same audit entry or publish key never doubles', async () => {
    const ep = await endpoint(a, { eventTypes: ['import.finished'] });
    const outbox = t.app.get(OutboxService);
    const data = { kind: 'csv', importId: 'A009999', status: 'completed' };
    expect(await outbox.publish(a.organizationId, 'import.finished', data, 'import-A009999')).toBe(1);
    expect(await outbox.publish(a.organizationId, 'import.finished', data, 'import-A009999')).toBe(0);
    const entry = {
      _id: 'A0099990',
      seq: 1,
      organizationId: a.organizationId,
      actorId: null,
      action: 'bank.import_completed',
      targetType: 'bank_import',
      targetId: 'A009998',
      changes: null,
      metadata: { created: 3 },
    };
    await outbox.onAudit(entry);
    await outbox.onAudit(entry);
    await expect(outbox.publish(a.organizationId, 'nope' as never, {}, 'x')).rejects.toMatchObject({
      code: 'UNKNOWN_EVENT_TYPE',
    });
    await settle(t);
    const got = at(await pathOf(a, ep.id));
    expect(got).toHaveLength(2);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(2);
    const health = await t.app.get(WebhooksHealth).summary();
    expect(health).toMatchObject({ deliveriesPending: 0 });
    await del(a, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  it('refuses writes in read-only mode but still lets an admin disable or delete an endpoint', async () => {
    const c = await createUser(t);
    await activatePro(t, c.organizationId, 30);
    const ep = await endpoint(c, { eventTypes: ['category.created'] });
    await t.db.collection<{ _id: string }>('billing_accounts').deleteOne({ _id: c.organizationId });
    const refused = await post(c, '/webhooks/endpoints', {
      name: 'x',
      url: receiver.url(),
      format: 'json',
      eventTypes: ['bill.created'],
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ACCOUNT_READ_ONLY');
    await get(c, '/webhooks/endpoints').expect(200);
    await post(c, `/webhooks/endpoints/${ep.id}/disable`).expect(200);
    await del(c, `/webhooks/endpoints/${ep.id}`).expect(200);
  });

  describe('organization B cannot read or write organization A', () => {
    let aEndpoint: { id: string };
    let aDelivery: { id: string; eventId: string };
    let missing: string;

    beforeAll(async () => {
      aEndpoint = await endpoint(a, { eventTypes: ['category.created'] });
      aDelivery = (await post(a, `/webhooks/endpoints/${aEndpoint.id}/test`).expect(200)).body;
      missing = 'A999999';
    });

    it('answers A’s endpoint, delivery and message like missing ones', async () => {
      for (const [path, type] of [
        [`/webhooks/endpoints/${aEndpoint.id}`, 'webhook_endpoint'],
        [`/webhooks/endpoints/${aEndpoint.id}/deliveries`, 'webhook_endpoint'],
        [`/webhooks/deliveries/${aDelivery.id}`, 'webhook_delivery'],
        [`/webhooks/messages/${aDelivery.eventId}`, 'webhook_event'],
      ]) {
        const foreign = await get(b, path).expect(404);
        const absent = await get(b, path.replace(/A\d{6,}/, missing)).expect(404);
        expect(foreign.body).toMatchObject({ code: 'NOT_FOUND', details: { type } });
        expect({ ...foreign.body, requestId: null }).toEqual({ ...absent.body, requestId: null });
      }
      await patch(b, `/webhooks/endpoints/${aEndpoint.id}`, { name: 'B' }).expect(404);
      await del(b, `/webhooks/endpoints/${aEndpoint.id}`).expect(404);
      await post(b, `/webhooks/endpoints/${aEndpoint.id}/test`).expect(404);
      await post(b, `/webhooks/endpoints/${aEndpoint.id}/rotate-secret`).expect(404);
      await post(b, `/webhooks/endpoints/${aEndpoint.id}/disable`).expect(404);
      await post(b, `/webhooks/endpoints/${aEndpoint.id}/replay`, { since: '2020-01-01T00:00:00Z' }).expect(
        404,
      );
      await post(b, `/webhooks/deliveries/${aDelivery.id}/replay`).expect(404);
      expect((await get(a, `/webhooks/endpoints/${aEndpoint.id}`).expect(200)).body.name).toBe('Test');
    });

    it('never lists A’s endpoints to B nor sends A’s events to B’s endpoint', async () => {
      const bEndpoint = await endpoint(b, { eventTypes: ['category.created'] });
      const listed = (await get(b, '/webhooks/endpoints').expect(200)).body.items as { id: string }[];
      expect(listed.map((e) => e.id)).toEqual([bEndpoint.id]);
      await post(a, '/categories', { name: 'Bara A', kind: 'expense' }).expect(201);
      await settle(t);
      expect(at(await pathOf(b, bEndpoint.id))).toHaveLength(0);
      expect(at(await pathOf(a, aEndpoint.id)).length).toBeGreaterThanOrEqual(2);
    });
  });
});
