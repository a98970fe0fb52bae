import type { Response } from 'supertest';
import { Clock } from '../src/infrastructure/clock/clock';
import { addDays, startOfStockholmDay, stockholmDate } from '../src/modules/billing/common/billing.dates';
import { signStripePayload } from '../src/modules/billing/providers/stripe-signature';
import { createAdmin, createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

const STRIPE_SECRET = 'whsec_billing_e2e_0123456789';

/**
 * The admin portal API (overview, accounts list, account detail, policy, non-admins refused) over a small set of
 * organizations brought into known states through the API, and the Stripe webhook with payloads signed here.
 */
describe('billing admin portal and Stripe webhook', () => {
  let t: TestApp;
  let clock: Clock;
  let admin: TestUser;
  /** a: Pro for 30 days; b: trial that expires; c: Pro that lapses and is paid; d: Pro that lapses to suspended;
   *  f: Pro past_due at the end. */
  let a: TestUser;
  let b: TestUser;
  let c: TestUser;
  let d: TestUser;
  let f: TestUser;

  const api = (path: string) => `/api/v1${path}`;
  const midnight = (date: string) => startOfStockholmDay(date);
  const morning = (date: string) => new Date(midnight(date).getTime() + 3.5 * 3600 * 1000);
  const today = () => stockholmDate(clock.now());
  const asAdmin = {
    get: (path: string) => t.http.get(api(path)).set(admin.auth),
    post: (path: string, body: Record<string, unknown> = {}) =>
      t.http.post(api(path)).set(admin.auth).send(body),
    patch: (path: string, body: Record<string, unknown>) =>
      t.http.patch(api(path)).set(admin.auth).send(body),
  };
  const start = '2027-03-01';

  beforeAll(async () => {
    t = await startTestApp({ STRIPE_WEBHOOK_SECRET: STRIPE_SECRET });
    clock = t.app.get(Clock);
    [admin, a, b, c, d, f] = await Promise.all([
      createAdmin(t),
      createUser(t, { name: 'Anna Andersson' }),
      createUser(t, { name: 'Bertil Berg' }),
      createUser(t, { name: 'Cecilia Carlsson' }),
      createUser(t, { name: 'David Dahl' }),
      createUser(t, { name: 'Fredrik Falk' }),
    ]);
    clock.travelTo(new Date(midnight(start).getTime() + 10 * 3600 * 1000));
    await asAdmin.post(`/admin/billing/accounts/${a.organizationId}/pro`).expect(200);
    await asAdmin.post(`/admin/billing/accounts/${b.organizationId}/trial`, { days: 10 }).expect(200);
    await asAdmin
      .post(`/admin/billing/accounts/${c.organizationId}/pro`, { periodEnd: addDays(start, 1) })
      .expect(200);
    await asAdmin
      .post(`/admin/billing/accounts/${d.organizationId}/pro`, { periodEnd: addDays(start, 1) })
      .expect(200);
    await asAdmin
      .post(`/admin/billing/accounts/${f.organizationId}/pro`, { periodEnd: addDays(start, 10) })
      .expect(200);
    await asAdmin
      .post(`/admin/billing/accounts/${c.organizationId}/invoices`, {
        invoiceId: '2001',
        amount: 14900,
        dueDate: addDays(start, 10),
      })
      .expect(201);
    // 16 days later: b's trial is over, c and d are past grace (suspended), f is past_due; then c pays
    clock.travelTo(morning(addDays(start, 16)));
    await asAdmin.post('/admin/billing/run-transitions').expect(200);
    await asAdmin.post(`/admin/billing/accounts/${c.organizationId}/invoices/2001/paid`).expect(200);
    await asAdmin.post(`/admin/billing/accounts/${admin.organizationId}/trial`).expect(200);
  });
  afterAll(async () => {
    clock.reset();
    await t.close();
  });

  describe('overview and accounts', () => {
    it('GET overview: counts that match the states', async () => {
      const res = await asAdmin.get('/admin/billing/overview').expect(200);
      // pro: a, c, f; trial: admin's household; free: b, d; past_due: f; suspended: d
      expect(res.body).toEqual({ pro: 3, trial: 1, free: 2, past_due: 1, suspended: 1, total: 6 });
    });

    it('GET accounts: every organization once across cursor pages, with owner email and latest invoice', async () => {
      const seen: Array<{ organizationId: string; createdAt: string } & Record<string, unknown>> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Response = await asAdmin
          .get(`/admin/billing/accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen.map((i) => i.organizationId).sort()).toEqual(
        [admin, a, b, c, d, f].map((u) => u.organizationId).sort(),
      );
      // newest organization first
      const created = seen.map((i) => Date.parse(i.createdAt));
      expect(created).toEqual([...created].sort((x, y) => y - x));
      const cRow = seen.find((i) => i.organizationId === c.organizationId);
      expect(cRow).toMatchObject({
        ownerEmail: c.email,
        plan: 'pro',
        billingStatus: 'active',
        access: 'full',
        currentPeriodPaid: true,
        latestInvoice: { invoiceId: '2001', amount: 14900, status: 'paid' },
      });
      expect(seen.find((i) => i.organizationId === d.organizationId)).toMatchObject({
        plan: 'free',
        billingStatus: 'suspended',
        access: 'read_only',
        latestInvoice: null,
      });
    });

    it('filters by plan and status (the state in force) and their overview counts agree', async () => {
      const overview = (await asAdmin.get('/admin/billing/overview').expect(200)).body;
      const ids = async (query: string) =>
        (
          (await asAdmin.get(`/admin/billing/accounts?${query}`).expect(200)).body.items as {
            organizationId: string;
          }[]
        )
          .map((i) => i.organizationId)
          .sort();
      expect(await ids('plan=pro')).toEqual([a, c, f].map((u) => u.organizationId).sort());
      expect(await ids('plan=free')).toEqual([b, d].map((u) => u.organizationId).sort());
      expect(await ids('plan=trial')).toEqual([admin.organizationId]);
      expect(await ids('status=past_due')).toEqual([f.organizationId]);
      expect(await ids('status=suspended')).toEqual([d.organizationId]);
      expect(await ids('plan=pro&status=suspended')).toEqual([]);
      for (const key of ['pro', 'free', 'trial'] as const)
        expect((await ids(`plan=${key}`)).length).toBe(overview[key]);
    });

    it('searches the name or an owner email; sorts by name and by a billing date', async () => {
      const search = async (q: string) =>
        (await asAdmin.get(`/admin/billing/accounts?q=${encodeURIComponent(q)}`).expect(200)).body.items.map(
          (i: { organizationId: string }) => i.organizationId,
        );
      expect(await search('cecilia carl')).toEqual([c.organizationId]);
      expect(await search(d.email.slice(0, 12).toUpperCase())).toEqual([d.organizationId]);
      expect(await search('ingen-sådan')).toEqual([]);
      expect(await search('.*')).toEqual([]);

      const byName = (
        await asAdmin.get('/admin/billing/accounts?sort=name&limit=10').expect(200)
      ).body.items.map((i: { name: string }) => i.name);
      expect(byName).toEqual([...byName].sort());
      expect(byName[0]).toContain('Admin Adminsson');

      const byPeriodEnd = (await asAdmin.get('/admin/billing/accounts?sort=periodEnd&limit=10').expect(200))
        .body.items;
      // only accounts that have a periodEnd, soonest first: c, d (start+1 and renewed/kept), f, a
      expect(byPeriodEnd.every((i: { periodEnd: string | null }) => i.periodEnd !== null)).toBe(true);
      const ends = byPeriodEnd.map((i: { periodEnd: string }) => Date.parse(i.periodEnd));
      expect(ends).toEqual([...ends].sort((x, y) => x - y));
      expect(byPeriodEnd.map((i: { organizationId: string }) => i.organizationId)).toEqual(
        expect.arrayContaining([a, c, d, f].map((u) => u.organizationId)),
      );
      const paged = (await asAdmin.get('/admin/billing/accounts?sort=-periodEnd&limit=1').expect(200)).body;
      const next = (
        await asAdmin
          .get(`/admin/billing/accounts?sort=-periodEnd&limit=1&cursor=${paged.nextCursor}`)
          .expect(200)
      ).body;
      expect(Date.parse(next.items[0].periodEnd)).toBeLessThanOrEqual(Date.parse(paged.items[0].periodEnd));
      expect(next.items[0].organizationId).not.toBe(paged.items[0].organizationId);
    });

    it('refuses a malformed cursor, a cursor of another sort, and unknown query fields', async () => {
      expect((await asAdmin.get('/admin/billing/accounts?cursor=bm9wZQ').expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      const first = (await asAdmin.get('/admin/billing/accounts?limit=1').expect(200)).body;
      expect(
        (await asAdmin.get(`/admin/billing/accounts?sort=name&cursor=${first.nextCursor}`).expect(400)).body
          .code,
      ).toBe('VALIDATION_FAILED');
      expect((await asAdmin.get('/admin/billing/accounts?plan=gold').expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await asAdmin.get('/admin/billing/accounts?color=red').expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
    });

    it('GET accounts/:orgId: organization, owners, payment history and the notices sent', async () => {
      const res = await asAdmin.get(`/admin/billing/accounts/${c.organizationId}`).expect(200);
      expect(res.body.organization).toMatchObject({ id: c.organizationId, type: 'household' });
      expect(res.body.owners).toEqual([{ userId: c.id, name: c.name, email: c.email }]);
      expect(res.body.account).toMatchObject({ plan: 'pro', billingStatus: 'active' });
      expect(res.body.account.invoices).toEqual([
        expect.objectContaining({
          invoiceId: '2001',
          amount: 14900,
          status: 'paid',
          paidAt: expect.any(String),
        }),
      ]);
      expect(res.body.notices.map((n: { kind: string }) => n.kind)).toEqual(
        expect.arrayContaining(['past_due', 'grace_expired', 'payment_received']),
      );
      expect((await asAdmin.get('/admin/billing/accounts/A999999').expect(404)).body).toMatchObject({
        code: 'NOT_FOUND',
        details: { type: 'organization' },
      });
      expect((await asAdmin.get('/admin/billing/accounts/not-an-id').expect(404)).body).toMatchObject({
        code: 'NOT_FOUND',
        details: { type: 'organization' },
      });
    });
  });

  describe('admin actions: input and errors', () => {
    it('invoices: validated amount, date and number; unknown organization 404', async () => {
      const path = `/admin/billing/accounts/${a.organizationId}/invoices`;
      for (const body of [
        { invoiceId: '3001', amount: -5, dueDate: '2027-04-01' },
        { invoiceId: '3001', amount: 12.5, dueDate: '2027-04-01' },
        { invoiceId: '3001', amount: 100, dueDate: '2027-02-30' },
        { invoiceId: '30 01', amount: 100, dueDate: '2027-04-01' },
        { invoiceId: '3001', amount: 100 },
      ]) {
        expect((await asAdmin.post(path, body).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }
      const res = await asAdmin
        .post('/admin/billing/accounts/A999999/invoices', {
          invoiceId: '3001',
          amount: 100,
          dueDate: '2027-04-01',
        })
        .expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'organization' } });
    });

    it('Pro with a periodEnd in the past is refused; downgrade moves to free and mails the owners', async () => {
      const past = await asAdmin
        .post(`/admin/billing/accounts/${a.organizationId}/pro`, { periodEnd: today() })
        .expect(400);
      expect(past.body.code).toBe('INVALID_DATE');
      const down = await asAdmin
        .post(`/admin/billing/accounts/${f.organizationId}/downgrade`, { reason: 'Kunden sa upp' })
        .expect(200);
      expect(down.body).toMatchObject({
        plan: 'free',
        billingStatus: 'active',
        graceUntil: null,
        access: 'read_only',
      });
      await t.mail.waitFor(f.email, /har nu gratisplanen/);
      const audit = await t.http.get(api('/audit?action=billing.downgraded')).set(f.auth).expect(200);
      expect(audit.body.items[0].metadata.reason).toContain('Kunden sa upp');
      // f gets Pro back for the tests below
      await asAdmin.post(`/admin/billing/accounts/${f.organizationId}/pro`).expect(200);
    });
  });

  describe('policy', () => {
    it('GET policy: the numbers and the rules in words', async () => {
      const res = await asAdmin.get('/admin/billing/policy').expect(200);
      expect(res.body.policy).toEqual({
        periodDays: 30,
        graceDays: 14,
        trialDays: 14,
        signUpPlan: 'free',
        afterGrace: 'free_suspended',
        freeAccess: 'read_only',
        periodReminderDays: 7,
        graceReminderDays: 3,
        trialReminderDays: 3,
      });
      expect(res.body.rules.find((r: { key: string }) => r.key === 'grace')).toMatchObject({
        sv: expect.stringContaining('14 dagar'),
        en: expect.stringContaining('14 days'),
      });
      expect(res.body.updatedAt).toBeNull();
    });

    it('PATCH policy changes the rules in force (a free plan with full access lets free organizations write)', async () => {
      const probe = () => t.http.patch(api('/billing/details')).set(b.auth).send({ reference: 'policy' });
      expect((await probe().expect(403)).body.code).toBe('ACCOUNT_READ_ONLY');
      const res = await asAdmin
        .patch('/admin/billing/policy', { freeAccess: 'full', graceDays: 7 })
        .expect(200);
      expect(res.body.policy).toMatchObject({ freeAccess: 'full', graceDays: 7, periodDays: 30 });
      expect(res.body.rules.find((r: { key: string }) => r.key === 'free').sv).toBe(
        'Gratisplanen har full åtkomst.',
      );
      expect(res.body.updatedBy).toBe(admin.id);
      await probe().expect(200);
      // suspended stays read-only whatever free may do
      expect(
        (await t.http.patch(api('/billing/details')).set(d.auth).send({ reference: 'x' }).expect(403)).body
          .code,
      ).toBe('ACCOUNT_READ_ONLY');
      await asAdmin.patch('/admin/billing/policy', { freeAccess: 'read_only', graceDays: 14 }).expect(200);
      await probe().expect(403);
    });

    it('signUpPlan=trial: a new organization starts on a trial counted from its creation, and the job keeps it', async () => {
      // organizations get their createdAt from the real time: from here on the clock runs at real time too
      clock.reset();
      await asAdmin.patch('/admin/billing/policy', { signUpPlan: 'trial' }).expect(200);
      const before = (await asAdmin.get('/admin/billing/overview').expect(200)).body;
      const newcomer = await createUser(t, { name: 'Nils Nykomling' });
      const trialEnd = midnight(addDays(today(), 14)).toISOString();
      expect((await t.http.get(api('/billing')).set(newcomer.auth).expect(200)).body).toMatchObject({
        plan: 'trial',
        access: 'full',
        trialEnd,
      });
      expect((await asAdmin.get('/admin/billing/overview').expect(200)).body).toMatchObject({
        trial: before.trial + 1,
        total: before.total + 1,
      });
      // the daily run gives it a stored account, so it stays on its trial when the policy changes back
      await asAdmin.post('/admin/billing/run-transitions').expect(200);
      await asAdmin.patch('/admin/billing/policy', { signUpPlan: 'free' }).expect(200);
      expect((await t.http.get(api('/billing')).set(newcomer.auth).expect(200)).body).toMatchObject({
        plan: 'trial',
        trialEnd,
      });
      await asAdmin.post(`/admin/billing/accounts/${newcomer.organizationId}/downgrade`).expect(200);
    });

    it('refuses an inconsistent, empty or unknown policy change', async () => {
      expect((await asAdmin.patch('/admin/billing/policy', { graceDays: 30 }).expect(400)).body.code).toBe(
        'INVALID_POLICY',
      );
      expect((await asAdmin.patch('/admin/billing/policy', {}).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await asAdmin.patch('/admin/billing/policy', { color: 'red' }).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      expect(
        (await asAdmin.patch('/admin/billing/policy', { afterGrace: 'delete' }).expect(400)).body.code,
      ).toBe('VALIDATION_FAILED');
    });
  });

  describe('non-admins', () => {
    const routes: Array<
      [method: 'get' | 'post' | 'patch', path: () => string, body?: Record<string, unknown>]
    > = [
      ['get', () => '/admin/billing/overview'],
      ['get', () => '/admin/billing/accounts'],
      ['get', () => `/admin/billing/accounts/${a.organizationId}`],
      ['post', () => `/admin/billing/accounts/${a.organizationId}/pro`, {}],
      ['post', () => `/admin/billing/accounts/${a.organizationId}/trial`, {}],
      ['post', () => `/admin/billing/accounts/${a.organizationId}/downgrade`, {}],
      [
        'post',
        () => `/admin/billing/accounts/${a.organizationId}/invoices`,
        { invoiceId: '4001', amount: 100, dueDate: '2027-04-01' },
      ],
      ['post', () => `/admin/billing/accounts/${c.organizationId}/invoices/2001/paid`, {}],
      ['post', () => '/admin/billing/invitations', { email: 'x@example.se', plan: 'pro' }],
      ['get', () => '/admin/billing/policy'],
      ['patch', () => '/admin/billing/policy', { graceDays: 1 }],
      ['post', () => '/admin/billing/run-transitions', {}],
    ];

    it('get 403 on every admin route (even an owner of the organization concerned), 401 without a token', async () => {
      for (const [method, path, body] of routes) {
        const res = await t.http[method](api(path())).set(a.auth).send(body);
        expect({ route: `${method} ${path()}`, status: res.status, code: res.body.code }).toEqual({
          route: `${method} ${path()}`,
          status: 403,
          code: 'FORBIDDEN',
        });
        expect((await t.http[method](api(path())).send(body)).status).toBe(401);
      }
      // nothing changed
      expect((await t.http.get(api('/billing')).set(a.auth).expect(200)).body).toMatchObject({
        plan: 'pro',
        billingStatus: 'active',
      });
    });
  });

  describe('Stripe webhook', () => {
    let g: TestUser;
    const webhook = (
      payload: unknown,
      options: { secret?: string; timestamp?: number; header?: string } = {},
    ) => {
      const raw = JSON.stringify(payload);
      const timestamp = options.timestamp ?? Math.floor(clock.now().getTime() / 1000);
      const header = options.header ?? signStripePayload(raw, options.secret ?? STRIPE_SECRET, timestamp);
      return t.http
        .post(api('/billing/stripe/webhook'))
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', header)
        .send(raw);
    };
    const epoch = (date: string) => Math.floor(midnight(date).getTime() / 1000);
    const subscription = (
      id: string,
      status: string,
      endDate: string,
      extra: Record<string, unknown> = {},
    ) => ({
      id,
      type: 'customer.subscription.created',
      data: {
        object: {
          id: 'sub_g1',
          object: 'subscription',
          status,
          current_period_start: epoch(today()),
          current_period_end: epoch(endDate),
          metadata: { organizationId: g.organizationId },
          ...extra,
        },
      },
    });

    beforeAll(async () => {
      g = await createUser(t, { name: 'Gustav Stripe' });
    });

    it('a signed subscription.created makes the organization Pro through Stripe', async () => {
      const res = await webhook(subscription('evt_sub_1', 'active', addDays(today(), 30))).expect(200);
      expect(res.body).toEqual({ received: true, eventId: 'evt_sub_1', outcome: 'applied' });
      const billing = (await t.http.get(api('/billing')).set(g.auth).expect(200)).body;
      expect(billing).toMatchObject({
        plan: 'pro',
        billingStatus: 'active',
        provider: 'stripe',
        access: 'full',
        periodEnd: midnight(addDays(today(), 30)).toISOString(),
      });
      await t.mail.waitFor(g.email, /WestWallet Pro är aktiverat/);
    });

    it('a redelivered event id is acknowledged and ignored', async () => {
      const before = await t.db
        .collection('audit_entries')
        .countDocuments({ organizationId: g.organizationId });
      const res = await webhook(subscription('evt_sub_1', 'canceled', addDays(today(), 30))).expect(200);
      expect(res.body).toEqual({ received: true, eventId: 'evt_sub_1', outcome: 'duplicate' });
      expect((await t.http.get(api('/billing')).set(g.auth).expect(200)).body.plan).toBe('pro');
      expect(
        await t.db.collection('audit_entries').countDocuments({ organizationId: g.organizationId }),
      ).toBe(before);
    });

    it('refuses a bad signature, a stale or future timestamp and a malformed header with 400; nothing is applied', async () => {
      const cancel = subscription('evt_bad_1', 'canceled', addDays(today(), 30));
      const wrong = await webhook(cancel, { secret: 'whsec_someone_else_00000' }).expect(400);
      expect(wrong.body).toMatchObject({
        code: 'WEBHOOK_SIGNATURE_INVALID',
        details: { reason: 'no_matching_signature' },
      });
      const now = Math.floor(clock.now().getTime() / 1000);
      const stale = await webhook(cancel, { timestamp: now - 310 }).expect(400);
      expect(stale.body).toMatchObject({
        code: 'WEBHOOK_SIGNATURE_INVALID',
        details: { reason: 'timestamp_outside_tolerance' },
      });
      await webhook(cancel, { timestamp: now + 310 }).expect(400);
      const missing = await t.http.post(api('/billing/stripe/webhook')).send(cancel).expect(400);
      expect(missing.body.details).toEqual({ reason: 'missing_header' });
      expect((await webhook(cancel, { header: 't=1,v1=zz' }).expect(400)).body.details).toEqual({
        reason: 'malformed_header',
      });
      expect((await t.http.get(api('/billing')).set(g.auth).expect(200)).body.plan).toBe('pro');
      // refused deliveries leave no trace: the same event id, correctly signed (just inside the tolerance), is processed
      const ok = await webhook(cancel, { timestamp: now - 299 }).expect(200);
      expect(ok.body).toEqual({ received: true, eventId: 'evt_bad_1', outcome: 'applied' });
      expect((await t.http.get(api('/billing')).set(g.auth).expect(200)).body.plan).toBe('free');
      await webhook(subscription('evt_bad_2', 'active', addDays(today(), 40))).expect(200);
      expect((await t.http.get(api('/billing')).set(g.auth).expect(200)).body.plan).toBe('pro');
    });

    it('invoice.payment_failed (found by subscription id) → past_due; invoice.paid → active with the invoice recorded', async () => {
      const failed = await webhook({
        id: 'evt_inv_1',
        type: 'invoice.payment_failed',
        data: {
          object: {
            id: 'in_1',
            number: 'STR-0001',
            amount_due: 9900,
            currency: 'sek',
            subscription: 'sub_g1',
            due_date: epoch(today()),
          },
        },
      }).expect(200);
      expect(failed.body.outcome).toBe('applied');
      let billing = (await t.http.get(api('/billing')).set(g.auth).expect(200)).body;
      expect(billing).toMatchObject({ plan: 'pro', billingStatus: 'past_due', access: 'full' });
      expect(billing.invoices).toEqual([
        expect.objectContaining({ invoiceId: 'STR-0001', status: 'open', provider: 'stripe' }),
      ]);

      const paid = await webhook({
        id: 'evt_inv_2',
        type: 'invoice.paid',
        data: {
          object: {
            id: 'in_1',
            number: 'STR-0001',
            amount_paid: 9900,
            currency: 'sek',
            status_transitions: { paid_at: Math.floor(clock.now().getTime() / 1000) },
            parent: {
              subscription_details: {
                subscription: 'sub_g1',
                metadata: { organizationId: g.organizationId },
              },
            },
            lines: { data: [{ period: { start: epoch(today()), end: epoch(addDays(today(), 31)) } }] },
          },
        },
      }).expect(200);
      expect(paid.body.outcome).toBe('applied');
      billing = (await t.http.get(api('/billing')).set(g.auth).expect(200)).body;
      expect(billing).toMatchObject({
        plan: 'pro',
        billingStatus: 'active',
        periodEnd: midnight(addDays(today(), 31)).toISOString(),
      });
      expect(billing.invoices).toEqual([
        expect.objectContaining({ invoiceId: 'STR-0001', status: 'paid', amount: 9900 }),
      ]);
    });

    it('subscription.deleted → free; events for no known organization or of other types are acknowledged', async () => {
      const deleted = await webhook({
        id: 'evt_del_1',
        type: 'customer.subscription.deleted',
        data: { object: { id: 'sub_g1', status: 'canceled', metadata: {} } },
      }).expect(200);
      expect(deleted.body.outcome).toBe('applied');
      expect((await t.http.get(api('/billing')).set(g.auth).expect(200)).body).toMatchObject({
        plan: 'free',
        access: 'read_only',
      });
      const stranger = await webhook({
        id: 'evt_unknown_1',
        type: 'customer.subscription.created',
        data: { object: { id: 'sub_x', status: 'active', metadata: { organizationId: 'A999999' } } },
      }).expect(200);
      expect(stranger.body.outcome).toBe('unknown_organization');
      const other = await webhook({
        id: 'evt_other_1',
        type: 'customer.created',
        data: { object: { id: 'cus_1' } },
      }).expect(200);
      expect(other.body.outcome).toBe('ignored');
      const notAnEvent = await webhook({ hello: 'world' }).expect(400);
      expect(notAnEvent.body.code).toBe('WEBHOOK_PAYLOAD_INVALID');
    });

    it('is off (404) when STRIPE_WEBHOOK_SECRET is unset', async () => {
      const plain = await startTestApp();
      try {
        const raw = JSON.stringify({ id: 'evt_off', type: 'invoice.paid', data: { object: {} } });
        const res = await plain.http
          .post(api('/billing/stripe/webhook'))
          .set('Content-Type', 'application/json')
          .set('Stripe-Signature', signStripePayload(raw, STRIPE_SECRET, Math.floor(Date.now() / 1000)))
          .send(raw)
          .expect(404);
        expect(res.body.code).toBe('WEBHOOK_DISABLED');
      } finally {
        await plain.close();
      }
    });
  });
});
