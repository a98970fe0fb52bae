import { setTimeout as sleep } from 'node:timers/promises';
import { activatePro } from './helpers/billing';
import { createAdmin, createUser, type TestUser } from './helpers/factories';
import type { CaughtMail } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Admin mass mail (`/admin/mail`) against FerretDB, Redis, the BullMQ worker and a real SMTP receiver: platform
 * admins only, audience all / by plan / by billing status, throttled to MASS_MAIL_PER_MINUTE (120 here: two mails a
 * second), an unsubscribe link (and List-Unsubscribe header) that the settings honour, audited, with a progress view.
 */

const api = (path: string) => `/api/v1${path}`;

interface Progress {
  total: number | null;
  waiting: number;
  queued: number;
  sent: number;
  failed: number;
  skipped: number;
}

describe('admin mass mail', () => {
  let t: TestApp;
  let admin: TestUser;
  let u1: TestUser;
  let u2: TestUser;
  let u3: TestUser;

  const post = (user: TestUser, path: string, body: object = {}) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const mail = (audience: object, subject = 'Nyhet') => ({
    subject: { sv: subject, en: `${subject} (en)` },
    body: { sv: 'Hej!\n\nNu finns aviseringar.', en: 'Hi!\n\nNotifications are here.' },
    audience,
  });
  const caught = (subject: string): CaughtMail[] =>
    t.mail.messages.filter((x) => x.subject.startsWith(subject));

  async function finished(id: string): Promise<{ status: string; progress: Progress }> {
    for (let i = 0; i < 300; i += 1) {
      const res = await t.http
        .get(api(`/admin/mail/${id}`))
        .set(admin.auth)
        .expect(200);
      if (res.body.status === 'done') return res.body as { status: string; progress: Progress };
      await sleep(100);
    }
    throw new Error(`mass mail ${id} did not finish`);
  }

  beforeAll(async () => {
    t = await startTestApp({ MASS_MAIL_PER_MINUTE: '120' });
    admin = await createAdmin(t);
    [u1, u2, u3] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
    await t.http
      .patch(api('/me/preferences'))
      .set(u2.auth)
      .send({ ui: { locale: 'en' } })
      .expect(200);
    await t.http
      .put(api('/me/notification-settings'))
      .set(u3.auth)
      .send({ announcements: false })
      .expect(200);
    await activatePro(t, u1.organizationId);
    t.mail.clear();
  }, 120_000);

  afterAll(() => t.close());

  it('is for platform admins only, with a checked body', async () => {
    await post(u1, '/admin/mail', mail({ type: 'all' })).expect(403);
    await t.http.get(api('/admin/mail')).set(u1.auth).expect(403);
    await post(admin, '/admin/mail', mail({ type: 'plan', plan: 'gold' })).expect(400);
    await post(admin, '/admin/mail', { ...mail({ type: 'all' }), extra: 1 }).expect(400);
    await post(admin, '/admin/mail', { ...mail({ type: 'all' }), subject: { sv: '' } }).expect(400);
    await t.http.get(api('/admin/mail/A999999')).set(admin.auth).expect(404);
  });

  it('to everyone: throttled, in each language, with an unsubscribe link; the unsubscribed are skipped', async () => {
    const res = await post(admin, '/admin/mail', mail({ type: 'all' }, 'Alla')).expect(201);
    expect(res.body).toMatchObject({ status: 'preparing', ratePerMinute: 120, progress: { total: null } });
    const started = Date.now();
    const done = await finished(res.body.id as string);
    expect(done.progress).toEqual({ total: 3, waiting: 0, queued: 0, sent: 3, failed: 0, skipped: 1 });
    const mails = caught('Alla');
    expect(mails.map((x) => x.to[0]).sort()).toEqual([admin.email, u1.email, u2.email].sort());
    // two mails a second: the third waits for the next slice
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const english = mails.find((x) => x.to.includes(u2.email))!;
    expect(english.subject).toBe('Alla (en)');
    expect(english.text).toMatch(/Unsubscribe here:\r?\n(http\S+)/);
    const swedish = mails.find((x) => x.to.includes(u1.email))!;
    expect(swedish.text).toMatch(/Nu finns aviseringar\.[\s\S]*Avregistrera dig här:\r?\nhttp/);
    expect(swedish.raw).toMatch(/^List-Unsubscribe:\s+<http[^>]+notifications\/unsubscribe\?token=/m);
    expect(swedish.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    const audit = await t.db.collection('audit_entries').find({ targetId: res.body.id }).toArray();
    expect(audit.map((e) => e.action).sort()).toEqual(['mass_mail.created', 'mass_mail.prepared']);
    expect(audit.find((e) => e.action === 'mass_mail.created')).toMatchObject({
      actorId: admin.id,
      metadata: { audience: { type: 'all' }, subject: 'Alla' },
    });
  });

  it('the unsubscribe link turns announcements off; the next mail skips that person', async () => {
    const swedish = caught('Alla').find((x) => x.to.includes(u1.email))!;
    const link = /Avregistrera dig här:\r?\n(\S+)/.exec(swedish.text)![1];
    const path = new URL(link).pathname + new URL(link).search;
    const res = await t.http.get(path).expect(200);
    expect(res.body).toMatchObject({
      unsubscribed: true,
      message: expect.stringMatching(/inte längre utskick/),
    });
    await t.http.get(path).expect(200); // again: still off, audited once
    const settings = await t.http.get(api('/me/notification-settings')).set(u1.auth).expect(200);
    expect(settings.body.announcements).toBe(false);
    const english = caught('Alla').find((x) => x.to.includes(u2.email))!;
    const oneClick = new URL(/Unsubscribe here:\r?\n(\S+)/.exec(english.text)![1]);
    await t.http
      .post(oneClick.pathname + oneClick.search)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    await t.http.get(api('/notifications/unsubscribe?token=A000001.forged')).expect(400);
    await t.http.get(api('/notifications/unsubscribe')).expect(400);
    const audited = await t.db
      .collection('audit_entries')
      .countDocuments({ action: 'notification.unsubscribed' });
    expect(audited).toBe(2);

    const next = await post(admin, '/admin/mail', mail({ type: 'all' }, 'Andra')).expect(201);
    const done = await finished(next.body.id as string);
    expect(done.progress).toMatchObject({ total: 1, sent: 1, skipped: 3 });
    expect(caught('Andra').map((x) => x.to[0])).toEqual([admin.email]);
  });

  it('by plan and by billing status: the owners of those organizations', async () => {
    await t.http.put(api('/me/notification-settings')).set(u1.auth).send({ announcements: true }).expect(200);
    const pro = await post(admin, '/admin/mail', mail({ type: 'plan', plan: 'pro' }, 'Pro')).expect(201);
    expect((await finished(pro.body.id as string)).progress).toMatchObject({ total: 1, sent: 1 });
    expect(caught('Pro').map((x) => x.to[0])).toEqual([u1.email]);
    const pastDue = await post(
      admin,
      '/admin/mail',
      mail({ type: 'billing_status', status: 'past_due' }, 'Sen'),
    );
    expect(pastDue.status).toBe(201);
    expect((await finished(pastDue.body.id as string)).progress).toMatchObject({ total: 0, sent: 0 });
    const listed = await t.http.get(api('/admin/mail?limit=2')).set(admin.auth).expect(200);
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.nextCursor).toEqual(expect.any(String));
  });
});
