import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { DeliveryService } from '../src/modules/notifications/delivery/delivery.service';
import {
  NOTIFICATION_EVENTS,
  type NotificationEvents,
} from '../src/modules/notifications/notifications.contract';
import { ReminderJobs } from '../src/modules/reminders/runs/runs.jobs';
import { activatePro } from './helpers/billing';
import { createAdmin, createUser, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Notifications against FerretDB, Redis, the BullMQ worker and a real SMTP receiver: settings per kind, reminders
 * and audited changes (bank import, billing) turned into in-app notifications and mails once per person and
 * occasion, quiet hours and lead days holding them, the daily digest and weekly summary, read/unread, and nobody
 * seeing anyone else's.
 */

const api = (path: string) => `/api/v1${path}`;

interface Item {
  id: string;
  organizationId: string;
  kind: string;
  title: string;
  body: string;
  sourceId: string | null;
  read: boolean;
}

function camt(entries: { amount: number; date: string; ref: string; name: string }[]): Buffer {
  const ntry = entries
    .map(
      (e) => `<Ntry><Amt Ccy="SEK">${(e.amount / 100).toFixed(2)}</Amt><CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts><BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.date}</Dt></ValDt>
        <AcctSvcrRef>${e.ref}</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
        <RltdPties><Cdtr><Nm>${e.name}</Nm></Cdtr></RltdPties></TxDtls></NtryDtls></Ntry>`,
    )
    .join('\n');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-20T10:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>S1</Id><Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id></Acct>
${ntry}
    </Stmt></BkToCstmrStmt></Document>`);
}

describe('notifications', () => {
  let t: TestApp;
  let a: TestUser; // owner of organization A
  let m: TestUser; // member of A (English)
  let b: TestUser; // owner of organization B
  let supplierId: string;
  let supplierB: string;

  const clock = () => t.app.get(Clock);
  const delivery = () => t.app.get(DeliveryService);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);
  const post = (user: TestUser, path: string, body: object = {}) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const put = (user: TestUser, body: object) =>
    t.http.put(api('/me/notification-settings')).set(user.auth).send(body);
  const list = async (user: TestUser, query = '') =>
    (await get(user, `/notifications${query}`).expect(200)).body as { items: Item[]; unread: number };
  const mailsTo = (user: TestUser, subject: RegExp) =>
    t.mail.messages.filter((x) => x.to.includes(user.email) && subject.test(x.subject));

  async function idle(queueName: string): Promise<void> {
    const q = new Queue(queueName, {
      connection: { url: t.config.redis.url },
      prefix: `${t.config.redis.prefix}:bull`,
    });
    try {
      let quiet = 0;
      for (let i = 0; i < 400 && quiet < 2; i += 1) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        quiet = Object.values(c).every((n) => n === 0) ? quiet + 1 : 0;
        await sleep(50);
      }
      if (quiet < 2) throw new Error(`${queueName} queue still busy`);
    } finally {
      await q.close();
    }
  }

  /** Noon of a Stockholm day (or the given UTC time), then that day's reminder run through the queue. */
  async function runDay(date: string, utcTime = '10:00:00'): Promise<void> {
    clock().travelTo(new Date(`${date}T${utcTime}Z`));
    await t.app.get(ReminderJobs).scan({ date });
    await idle('reminders');
  }

  async function bill(user: TestUser, dueDate: string, invoiceNumber: string): Promise<string> {
    const res = await post(user, '/bills', {
      supplierId: user === b ? supplierB : supplierId,
      amount: 123_450,
      dueDate,
      invoiceNumber,
    }).expect(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    clock().travelTo(new Date('2026-10-19T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t, { name: 'Åsa' }), createUser(t, { name: 'Bo' })]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
    await post(a, `/organizations/${a.organizationId}/invitations`, {
      email: `m-${a.email}`,
      role: 'member',
    }).expect(201);
    const invitation = await t.mail.waitFor(`m-${a.email}`, /./);
    m = await createUser(t, { email: `m-${a.email}`, name: 'Mike' });
    await post(m, '/invitations/accept', { token: MailCatcher.token(invitation) }).expect(200);
    await t.http
      .patch(api('/me/preferences'))
      .set(m.auth)
      .send({ ui: { locale: 'en' } })
      .expect(200);
    supplierId = (await post(a, '/suppliers', { name: 'Ellevio' }).expect(201)).body.id as string;
    supplierB = (await post(b, '/suppliers', { name: 'Ellevio' }).expect(201)).body.id as string;
  }, 120_000);

  afterAll(() => t.close());

  describe('settings', () => {
    it('start from the account preferences: email and in-app, weekly summary off, billing never by mail', async () => {
      const res = await get(a, '/me/notification-settings').expect(200);
      const kinds = Object.fromEntries((res.body.kinds as { kind: string }[]).map((k) => [k.kind, k]));
      expect(kinds.bill_due).toMatchObject({
        label: 'Räkningar att betala',
        enabled: true,
        channels: ['email', 'in_app'],
        leadDays: null,
        delivery: 'instant',
      });
      expect(kinds.weekly_summary).toMatchObject({ enabled: false, channels: ['email'] });
      expect(kinds.billing).toMatchObject({
        channels: ['in_app'],
        offers: { channels: ['in_app', 'webhook'] },
      });
      expect(res.body).toMatchObject({ quietHours: null, announcements: true, timeZone: 'Europe/Stockholm' });
    });

    it('refuse what a kind does not offer, bad quiet hours, unknown kinds and an empty change', async () => {
      const offered = await put(a, { kinds: { billing: { channels: ['email'] } } }).expect(422);
      expect(offered.body).toMatchObject({ code: 'CHANNEL_NOT_OFFERED', details: { kind: 'billing' } });
      await put(a, { kinds: { weekly_summary: { delivery: 'digest' } } }).expect(422);
      await put(a, { kinds: { bank_review: { leadDays: [3] } } }).expect(422);
      const quiet = await put(a, { quietHours: { start: '22:00', end: '22:00' } }).expect(422);
      expect(quiet.body.code).toBe('INVALID_QUIET_HOURS');
      await put(a, { quietHours: { start: '25:00', end: '07:00' } }).expect(400);
      await put(a, { kinds: { spam: { enabled: false } } }).expect(400);
      await put(a, {}).expect(400);
      await t.http.get(api('/me/notification-settings')).expect(401);
    });

    it('keep what is changed, one kind at a time, and audit it', async () => {
      await put(a, { kinds: { renewal: { enabled: false } } }).expect(200);
      const res = await put(a, { kinds: { renewal: { channels: ['in_app'] } } }).expect(200);
      const renewal = (res.body.kinds as { kind: string }[]).find((k) => k.kind === 'renewal');
      expect(renewal).toMatchObject({ enabled: false, channels: ['in_app'] });
      const audited = await t.db
        .collection('audit_entries')
        .find({ action: 'notification.settings_updated', targetId: a.id })
        .sort({ seq: 1 })
        .toArray();
      expect(audited).toHaveLength(2);
      expect(audited[1]?.changes).toMatchObject({ after: { kinds: { renewal: { channels: ['in_app'] } } } });
    });
  });

  describe('from reminders', () => {
    let billId: string;

    it('a bill due in a week: in-app and a mail to each member in their language, once however often the day runs', async () => {
      billId = await bill(a, '2026-10-27', 'E-1');
      await runDay('2026-10-20');
      await runDay('2026-10-20', '10:05:00'); // a second run of the day (a retried job): nothing new
      const mineA = await list(a);
      expect(mineA.items).toEqual([
        expect.objectContaining({
          kind: 'bill_due',
          organizationId: a.organizationId,
          sourceId: billId,
          read: false,
          title: expect.stringMatching(/^Räkning från Ellevio på 1\s234,50\skr förfaller 2026-10-27$/),
        }),
      ]);
      expect(mineA.unread).toBe(1);
      const mineM = await list(m);
      expect(mineM.items[0]?.title).toMatch(/Ellevio/);
      expect(mineM.items[0]?.title).toMatch(/due|Bill/i);
      const toA = await t.mail.waitFor(a.email, /Räkning från Ellevio/);
      expect(toA.text).toMatch(/Datum: 2026-10-27\./);
      expect(toA.text).toMatch(/Inställningar > Aviseringar/);
      const toM = await t.mail.waitFor(m.email, /Ellevio/);
      expect(toM.text).toMatch(/Settings > Notifications/);
      await idle('mail');
      expect(mailsTo(a, /Räkning från Ellevio/)).toHaveLength(1);
      expect(await t.db.collection('notifications').countDocuments({ sourceId: billId })).toBe(2);
    });

    it('unread count, mark one read, mark all read; marking twice changes nothing', async () => {
      expect((await get(a, '/notifications/unread-count').expect(200)).body).toEqual({ unread: 1 });
      const [item] = (await list(a)).items;
      const read = await post(a, `/notifications/${item.id}/read`).expect(200);
      expect(read.body).toMatchObject({ id: item.id, read: true });
      await post(a, `/notifications/${item.id}/read`).expect(200);
      expect((await get(a, '/notifications/unread-count').expect(200)).body).toEqual({ unread: 0 });
      expect((await list(a, '?unread=true')).items).toEqual([]);
      expect((await post(m, '/notifications/read-all').expect(200)).body).toEqual({ marked: 1, unread: 0 });
    });

    it('quiet hours hold the mail (not the in-app one) until they end', async () => {
      await put(b, { quietHours: { start: '22:00', end: '07:00' } }).expect(200);
      await bill(b, '2026-10-28', 'B-1');
      await runDay('2026-10-21', '21:30:00'); // 23:30 in Stockholm (summer time until the 25th)
      const items = (await list(b)).items;
      expect(items).toEqual([
        expect.objectContaining({ kind: 'bill_due', organizationId: b.organizationId }),
      ]);
      await idle('mail');
      expect(mailsTo(b, /Ellevio/)).toHaveLength(0);
      clock().travelTo(new Date('2026-10-22T04:50:00Z')); // 06:50
      expect(await delivery().deliverDue()).toBe(0);
      clock().travelTo(new Date('2026-10-22T05:05:00Z')); // 07:05
      expect(await delivery().deliverDue()).toBe(1);
      await t.mail.waitFor(b.email, /Ellevio/);
      expect(await delivery().deliverDue()).toBe(0);
    });

    it('lead days and the digest: held until a day before, then in the daily digest mail', async () => {
      await put(a, { kinds: { bill_due: { leadDays: [1], delivery: 'digest' } } }).expect(200);
      const second = await bill(a, '2026-10-30', 'E-2');
      await runDay('2026-10-23'); // the bill's 7-day reminder
      expect((await list(a)).items.map((i) => i.sourceId)).not.toContain(second);
      clock().travelTo(new Date('2026-10-29T08:00:00Z')); // 09:00, the 29th: one day before
      expect((await list(a)).items.map((i) => i.sourceId)).toContain(second);
      const result = await delivery().daily('2026-10-29');
      expect(result.digests).toBe(1);
      const digest = await t.mail.waitFor(a.email, /WestWallet: 1 avisering 2026-10-29/);
      expect(digest.text).toMatch(/förfaller 2026-10-30/);
      expect((await delivery().daily('2026-10-29')).digests).toBe(0);
    });
  });

  describe('from audited changes', () => {
    it('a bank import leaving lines to review tells the members who can approve', async () => {
      const account = await post(a, '/bank/accounts', {
        name: 'Privatkonto',
        clearingNumber: '8327-9',
        accountNumber: '123 456 789-0',
      }).expect(201);
      const imp = await t.http
        .post(api(`/bank/accounts/${account.body.id}/imports`))
        .set(a.auth)
        .attach(
          'file',
          camt([
            { amount: 12_300, date: '2026-10-20', ref: 'R1', name: 'Okänd butik' },
            { amount: 45_600, date: '2026-10-21', ref: 'R2', name: 'Annan butik' },
          ]),
          'statement.xml',
        )
        .expect(202);
      await idle('bank');
      await idle('notifications');
      const review = (await list(a, '?kind=bank_review')).items;
      expect(review).toEqual([
        expect.objectContaining({ sourceId: imp.body.id, title: '2 bankrader väntar på granskning' }),
      ]);
      expect((await list(m, '?kind=bank_review')).items[0]?.title).toBe(
        '2 bank lines are waiting for review',
      );
      expect((await list(b)).items.some((i) => i.kind === 'bank_review')).toBe(false);
    });

    it('a billing change tells the owners in the app (the billing module mails them itself)', async () => {
      const admin = await createAdmin(t);
      await post(admin, `/admin/billing/accounts/${a.organizationId}/pro`, {}).expect(200);
      await idle('notifications');
      const billing = (await list(a, '?kind=billing')).items;
      expect(billing).toEqual([
        expect.objectContaining({ kind: 'billing', title: expect.stringMatching(/Pro är aktiverat/) }),
      ]);
      expect((await list(m, '?kind=billing')).items).toEqual([]);
    });

    it('an import finished through the entry point tells whoever started it, once', async () => {
      const events = t.app.get<NotificationEvents>(NOTIFICATION_EVENTS);
      const notice = {
        sourceType: 'data_import',
        sourceId: 'A099999',
        outcome: 'failed' as const,
        userId: a.id,
        summary: { sv: 'kolumnen "belopp" saknas.', en: 'the column "amount" is missing.' },
      };
      const context = t.app.get(RequestContext);
      await context.runAsSystem({ organizationId: a.organizationId }, () => events.importFinished(notice));
      await context.runAsSystem({ organizationId: a.organizationId }, () => events.importFinished(notice));
      const imports = (await list(a, '?kind=import')).items;
      expect(imports).toEqual([
        expect.objectContaining({ title: 'Importen misslyckades', sourceId: 'A099999' }),
      ]);
    });
  });

  describe('the weekly summary', () => {
    it('on Mondays, to those who asked for it, once', async () => {
      await put(a, { kinds: { weekly_summary: { enabled: true } } }).expect(200);
      clock().travelTo(new Date('2026-11-02T06:00:00Z')); // Monday 07:00
      expect((await delivery().daily('2026-11-01')).summaries).toBe(0); // Sunday: none
      expect((await delivery().daily('2026-11-02')).summaries).toBe(1);
      expect((await delivery().daily('2026-11-02')).summaries).toBe(0);
      const summary = await t.mail.waitFor(a.email, /veckan 2026-10-26 – 2026-11-01/);
      expect(summary.text).toMatch(/Bankrader att granska: 1/);
      expect(mailsTo(b, /veckan/)).toHaveLength(0);
    });
  });

  describe('another person or organization cannot read or mark them', () => {
    it('someone else’s notification is a missing one', async () => {
      const [item] = (await list(a)).items;
      for (const other of [b, m]) {
        const res = await post(other, `/notifications/${item.id}/read`).expect(404);
        expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'notification' } });
      }
      await post(a, '/notifications/A999999/read').expect(404);
      await post(a, '/notifications/nonsense/read').expect(404);
    });

    it('lists never show another organization’s, and an organization you are not in is a 404', async () => {
      expect((await list(b)).items.every((i) => i.organizationId === b.organizationId)).toBe(true);
      await get(b, `/notifications?organizationId=${a.organizationId}`).expect(404);
      await get(b, `/notifications/unread-count?organizationId=${a.organizationId}`).expect(404);
      await post(b, `/notifications/read-all?organizationId=${a.organizationId}`).expect(404);
      const unreadA = (await get(a, '/notifications/unread-count').expect(200)).body.unread as number;
      await post(b, '/notifications/read-all').expect(200);
      expect((await get(a, '/notifications/unread-count').expect(200)).body.unread).toBe(unreadA);
    });

    it('someone who leaves an organization no longer sees its notifications', async () => {
      expect((await list(m)).items.length).toBeGreaterThan(0);
      await t.http
        .delete(api(`/organizations/${a.organizationId}/members/${m.id}`))
        .set(a.auth)
        .expect(204);
      expect((await list(m)).items).toEqual([]);
    });
  });

  it('reading and marking read work in a read-only organization', async () => {
    await t.db
      .collection<{ _id: string }>('billing_accounts')
      .updateOne({ _id: a.organizationId }, { $set: { plan: 'free', billingStatus: 'suspended' } });
    await post(a, '/bills', { supplierId, amount: 100, dueDate: '2026-12-01' }).expect(403);
    expect((await list(a)).items.length).toBeGreaterThan(0);
    await post(a, '/notifications/read-all').expect(200);
    expect((await get(a, '/notifications/unread-count').expect(200)).body).toEqual({ unread: 0 });
  });
});
