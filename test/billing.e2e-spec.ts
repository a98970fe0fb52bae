import type { Response } from 'supertest';
import { Clock } from '../src/infrastructure/clock/clock';
import { JobQueue } from '../src/infrastructure/queue/queue.module';
import { JobName, QueueName, jobIdFor } from '../src/infrastructure/queue/queue.constants';
import { addDays, startOfStockholmDay, stockholmDate } from '../src/modules/billing/common/billing.dates';
import { BillingJobs } from '../src/modules/billing/accounts/accounts.jobs';
import { createAdmin, createUser, uniqueEmail, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';

/** One account in the answer of POST /admin/billing/run-transitions. */
interface RunChange {
  organizationId: string;
  transitions: Array<Record<string, unknown>>;
  reminders: Array<Record<string, unknown>>;
}

/**
 * Billing of WestWallet itself, end to end on the real services: sign-up on free and read-only, Pro from an admin,
 * the daily transitions with the clock moved (past_due with grace, read-only after grace), payment, trials,
 * reminders and transition mails through the real SMTP receiver, invitations, tenancy, and the daily job's
 * once-per-date enqueue. The clock is moved forward through the file: the tests run in order.
 */
describe('billing', () => {
  let t: TestApp;
  let clock: Clock;
  let admin: TestUser;
  /** Household goes free → Pro → past_due → suspended → Pro again. */
  let owner: TestUser;
  /** Household gets a trial that expires. */
  let trialist: TestUser;

  const api = (path: string) => `/api/v1${path}`;
  const midnight = (date: string) => startOfStockholmDay(date);
  /** 03:30 Stockholm time on a date (after the 03:15 daily job would have fired). */
  const morning = (date: string) => new Date(midnight(date).getTime() + 3.5 * 3600 * 1000);
  const today = () => stockholmDate(clock.now());
  const withoutRequestId = (res: Response) => {
    const { requestId, ...rest } = res.body as Record<string, unknown>;
    expect(typeof requestId).toBe('string');
    return rest;
  };

  const billingOf = async (user: TestUser, orgId?: string) => {
    const req = t.http.get(api('/billing')).set(user.auth);
    if (orgId) void req.set('X-Organization-Id', orgId);
    return (await req.expect(200)).body;
  };
  const writeProbe = (user: TestUser, body: Record<string, unknown> = { reference: `ref-${Date.now()}` }) =>
    t.http.patch(api('/billing/details')).set(user.auth).send(body);
  const runTransitions = async () =>
    (await t.http.post(api('/admin/billing/run-transitions')).set(admin.auth).expect(200)).body;
  const changesFor = (run: { changes: RunChange[] }, orgId: string) =>
    run.changes.filter((c) => c.organizationId === orgId);
  /** Mails to `to` whose subject matches, after giving the queue a moment to deliver any duplicate. */
  const mailsTo = async (to: string, subject: RegExp) => {
    await new Promise((r) => setTimeout(r, 400));
    return t.mail.messages.filter((m) => m.to.includes(to) && subject.test(m.subject));
  };

  /** The instants every step of the story below uses (decided once the clock is set). */
  let start: string;
  let periodEnd: string;
  let graceEnd: string;

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
    [admin, owner, trialist] = await Promise.all([
      createAdmin(t),
      createUser(t, { name: 'Ägare Betalsson' }),
      createUser(t, { name: 'Prova Provsson' }),
    ]);
    start = '2027-01-11';
    periodEnd = addDays(start, 30); // 2027-02-10
    graceEnd = addDays(periodEnd, 14); // 2027-02-24
    clock.travelTo(new Date(midnight(start).getTime() + 10 * 3600 * 1000)); // 10:00 Stockholm
  });
  afterAll(async () => {
    clock.reset();
    await t.close();
  });

  describe('sign-up lands on free and read-only', () => {
    it('GET /billing: free, active, read_only, the READ_ONLY_FREE banner, no invoices', async () => {
      const body = await billingOf(owner);
      expect(body).toMatchObject({
        organizationId: owner.organizationId,
        plan: 'free',
        billingStatus: 'active',
        provider: 'manual',
        periodEnd: null,
        graceUntil: null,
        trialEnd: null,
        access: 'read_only',
        invoices: [],
        details: null,
      });
      expect(body.banner).toMatchObject({ level: 'info', code: 'READ_ONLY_FREE', daysLeft: null });
      expect(body.banner.message.sv).toContain('gratisplanen');
      expect(body.banner.message.en).toContain('free plan');
    });

    it('a write on an org-scoped route is refused with 403 ACCOUNT_READ_ONLY; nothing is stored', async () => {
      const res = await writeProbe(owner, { reference: 'Ska inte sparas' }).expect(403);
      expect(res.body).toMatchObject({
        statusCode: 403,
        code: 'ACCOUNT_READ_ONLY',
        details: { plan: 'free', billingStatus: 'active' },
      });
      expect((await billingOf(owner)).details).toBeNull();
    });

    it('reads and managing the organization itself keep working in read-only mode', async () => {
      await t.http
        .get(api(`/organizations/${owner.organizationId}`))
        .set(owner.auth)
        .expect(200);
      await t.http
        .patch(api(`/organizations/${owner.organizationId}`))
        .set(owner.auth)
        .send({ name: 'Familjen Betalsson' })
        .expect(200);
      await t.http
        .post(api(`/organizations/${owner.organizationId}/invitations`))
        .set(owner.auth)
        .send({ email: uniqueEmail('family'), role: 'viewer' })
        .expect(201);
    });
  });

  describe('admin gives Pro → writes work', () => {
    it('POST /admin/billing/accounts/:orgId/pro: Pro at once until today + 30 days, invoiced afterwards', async () => {
      const res = await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/pro`))
        .set(admin.auth)
        .expect(200);
      expect(res.body).toMatchObject({
        plan: 'pro',
        billingStatus: 'active',
        access: 'full',
        periodEnd: midnight(periodEnd).toISOString(),
        currentPeriodPaid: false,
        banner: null,
      });
    });

    it('the write that was refused now works, with validated and normalized details', async () => {
      const res = await writeProbe(owner, {
        contactName: 'Ägare Betalsson',
        contactEmail: 'Faktura@Example.SE',
        organizationNumber: '5566778899',
        address: { line1: 'Storgatan 1', postalCode: '41301', city: 'Göteborg' },
        reference: 'Kund 17',
      }).expect(200);
      expect(res.body.details).toEqual({
        contactName: 'Ägare Betalsson',
        contactEmail: 'faktura@example.se',
        organizationNumber: '556677-8899',
        address: { line1: 'Storgatan 1', line2: null, postalCode: '413 01', city: 'Göteborg', country: 'SE' },
        reference: 'Kund 17',
      });
      const bad = await writeProbe(owner, { organizationNumber: '556677-8890' }).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(
        (await writeProbe(owner, { address: { line1: 'x', postalCode: '4130', city: 'y' } }).expect(400)).body
          .code,
      ).toBe('VALIDATION_FAILED');
      expect((await writeProbe(owner, { color: 'red' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('the owners got the transition mail, and the audit log has the transition with its reason', async () => {
      const mail = await t.mail.waitFor(owner.email, /WestWallet Pro är aktiverat/);
      expect(mail.text).toContain(`t.o.m. ${addDays(periodEnd, -1)}`);
      expect(mail.text).toContain('En faktura skickas separat');
      const audit = await t.http.get(api('/audit?action=billing.pro_started')).set(owner.auth).expect(200);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({
        actorId: admin.id,
        targetId: owner.organizationId,
        changes: { before: { plan: 'free' }, after: { plan: 'pro' } },
        metadata: { kind: 'pro_started', trigger: 'action', provider: 'manual' },
      });
      expect(audit.body.items[0].metadata.reason).toContain('Pro granted by a platform admin');
    });
  });

  describe('an invoice unpaid past periodEnd → past_due with a banner and still full access', () => {
    it('registers the Fortnox invoice; the number is unique', async () => {
      const res = await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/invoices`))
        .set(admin.auth)
        .send({ invoiceId: '1001', amount: 9900, dueDate: addDays(periodEnd, -1) })
        .expect(201);
      expect(res.body).toMatchObject({
        invoiceId: '1001',
        amount: 9900,
        currency: 'SEK',
        status: 'open',
        paidAt: null,
        overdue: false,
      });
      const again = await t.http
        .post(api(`/admin/billing/accounts/${trialist.organizationId}/invoices`))
        .set(admin.auth)
        .send({ invoiceId: '1001', amount: 100, dueDate: periodEnd })
        .expect(409);
      expect(again.body.code).toBe('INVOICE_EXISTS');
    });

    it('7 days before periodEnd the owners are reminded once, however often the job runs', async () => {
      clock.travelTo(morning(addDays(periodEnd, -8)));
      expect(changesFor(await runTransitions(), owner.organizationId)).toEqual([]);
      clock.travelTo(morning(addDays(periodEnd, -7)));
      const run = await runTransitions();
      expect(changesFor(run, owner.organizationId)).toEqual([
        expect.objectContaining({ transitions: [], reminders: [{ kind: 'period_ending', daysLeft: 7 }] }),
      ]);
      expect(changesFor(await runTransitions(), owner.organizationId)).toEqual([]);
      const mail = await t.mail.waitFor(owner.email, /Påminnelse: Pro-perioden/);
      expect(mail.text).toContain('Faktura 1001');
      expect(mail.text).toContain('99,00');
      expect(await mailsTo(owner.email, /Påminnelse: Pro-perioden/)).toHaveLength(1);
      expect((await billingOf(owner)).banner).toMatchObject({ code: 'PERIOD_ENDING', daysLeft: 7 });
    });

    it('the day before periodEnd nothing changes; on its day the account is past_due with grace', async () => {
      clock.travelTo(morning(addDays(periodEnd, -1)));
      expect(changesFor(await runTransitions(), owner.organizationId).flatMap((c) => c.transitions)).toEqual(
        [],
      );
      clock.travelTo(morning(periodEnd));
      const run = await runTransitions();
      expect(changesFor(run, owner.organizationId)[0]?.transitions).toEqual([
        expect.objectContaining({
          kind: 'past_due',
          from: { plan: 'pro', billingStatus: 'active' },
          to: { plan: 'pro', billingStatus: 'past_due' },
          notified: true,
        }),
      ]);
      // running again changes nothing more
      expect(changesFor(await runTransitions(), owner.organizationId)).toEqual([]);
    });

    it('GET /billing: past_due, full access, the PAYMENT_OVERDUE banner in Swedish and English, the invoice overdue', async () => {
      const body = await billingOf(owner);
      expect(body).toMatchObject({
        plan: 'pro',
        billingStatus: 'past_due',
        access: 'full',
        graceUntil: midnight(graceEnd).toISOString(),
      });
      expect(body.banner).toMatchObject({ level: 'warning', code: 'PAYMENT_OVERDUE', daysLeft: 14 });
      expect(body.banner.message.sv).toContain(`t.o.m. ${addDays(graceEnd, -1)}`);
      expect(body.banner.message.en).toContain('The Pro payment is missing');
      expect(body.invoices).toEqual([
        expect.objectContaining({ invoiceId: '1001', status: 'open', overdue: true }),
      ]);
      await writeProbe(owner).expect(200);
    });

    it('the owners were told, once', async () => {
      const mail = await t.mail.waitFor(owner.email, /Betalning saknas/);
      expect(mail.text).toContain(`t.o.m. ${addDays(graceEnd, -1)}`);
      expect(await mailsTo(owner.email, /Betalning saknas/)).toHaveLength(1);
    });
  });

  describe('past grace → read-only with ACCOUNT_READ_ONLY', () => {
    it('3 days before graceUntil a last reminder', async () => {
      clock.travelTo(morning(addDays(graceEnd, -3)));
      const run = await runTransitions();
      expect(changesFor(run, owner.organizationId)[0]?.reminders).toEqual([
        { kind: 'grace_ending', daysLeft: 3 },
      ]);
      const mail = await t.mail.waitFor(owner.email, /Sista påminnelsen/);
      expect(mail.subject).toContain('3 dagar');
    });

    it('the day before graceUntil still full access; on its day free + suspended and read-only', async () => {
      clock.travelTo(morning(addDays(graceEnd, -1)));
      await runTransitions();
      expect((await billingOf(owner)).access).toBe('full');
      clock.travelTo(morning(graceEnd));
      const run = await runTransitions();
      expect(changesFor(run, owner.organizationId)[0]?.transitions).toEqual([
        expect.objectContaining({ kind: 'grace_expired', to: { plan: 'free', billingStatus: 'suspended' } }),
      ]);
      const body = await billingOf(owner);
      expect(body).toMatchObject({ plan: 'free', billingStatus: 'suspended', access: 'read_only' });
      expect(body.banner).toMatchObject({ level: 'error', code: 'ACCOUNT_SUSPENDED' });
      const refused = await writeProbe(owner).expect(403);
      expect(refused.body).toMatchObject({
        code: 'ACCOUNT_READ_ONLY',
        details: { plan: 'free', billingStatus: 'suspended' },
      });
      const mail = await t.mail.waitFor(owner.email, /har gått över till gratisplanen/);
      expect(mail.text).toContain('skrivskyddat');
    });
  });

  describe('mark paid → active again with the period rule', () => {
    it('paid after grace: Pro + active, the new period from the payment date', async () => {
      clock.travelTo(new Date(midnight(addDays(graceEnd, 2)).getTime() + 12 * 3600 * 1000));
      const res = await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/invoices/1001/paid`))
        .set(admin.auth)
        .expect(200);
      expect(res.body).toMatchObject({
        plan: 'pro',
        billingStatus: 'active',
        access: 'full',
        graceUntil: null,
        currentPeriodPaid: true,
        periodEnd: midnight(addDays(today(), 30)).toISOString(),
        banner: null,
      });
      expect(res.body.invoices[0]).toMatchObject({ invoiceId: '1001', status: 'paid', overdue: false });
      await writeProbe(owner).expect(200);
      const again = await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/invoices/1001/paid`))
        .set(admin.auth)
        .expect(409);
      expect(again.body.code).toBe('INVOICE_ALREADY_PAID');
      const mail = await t.mail.waitFor(owner.email, /Tack för betalningen/);
      expect(mail.text).toContain('faktura 1001');
    });

    it('paid within grace: the new period starts where the old one ended', async () => {
      const { periodEnd: currentEnd } = await billingOf(owner);
      const oldEnd = stockholmDate(new Date(currentEnd));
      clock.travelTo(morning(addDays(oldEnd, 2)));
      await runTransitions();
      expect((await billingOf(owner)).billingStatus).toBe('past_due');
      await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/invoices`))
        .set(admin.auth)
        .send({ invoiceId: '1002', amount: 9900, dueDate: oldEnd })
        .expect(201);
      // the payment reached the bank the day after the period ended
      const res = await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/invoices/1002/paid`))
        .set(admin.auth)
        .send({ paidAt: addDays(oldEnd, 1) })
        .expect(200);
      expect(res.body).toMatchObject({
        plan: 'pro',
        billingStatus: 'active',
        periodEnd: midnight(addDays(oldEnd, 30)).toISOString(),
      });
    });

    it("refuses a payment date in the future and unknown invoices (another organization's too)", async () => {
      await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/invoices`))
        .set(admin.auth)
        .send({ invoiceId: '1003', amount: 9900, dueDate: addDays(today(), 20) })
        .expect(201);
      const future = await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/invoices/1003/paid`))
        .set(admin.auth)
        .send({ paidAt: addDays(today(), 1) })
        .expect(400);
      expect(future.body.code).toBe('INVALID_DATE');
      const foreign = await t.http
        .post(api(`/admin/billing/accounts/${trialist.organizationId}/invoices/1003/paid`))
        .set(admin.auth)
        .expect(404);
      expect(foreign.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'invoice' } });
      await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/invoices/9999/paid`))
        .set(admin.auth)
        .expect(404);
    });
  });

  describe('trial granted and expiring', () => {
    let trialEnd: string;

    it('POST /admin/billing/accounts/:orgId/trial {days}: trial with full access until today + days', async () => {
      trialEnd = addDays(today(), 5);
      const res = await t.http
        .post(api(`/admin/billing/accounts/${trialist.organizationId}/trial`))
        .set(admin.auth)
        .send({ days: 5 })
        .expect(200);
      expect(res.body).toMatchObject({
        plan: 'trial',
        billingStatus: 'active',
        access: 'full',
        trialEnd: midnight(trialEnd).toISOString(),
      });
      expect(res.body.banner).toMatchObject({ code: 'TRIAL_ACTIVE', daysLeft: 5 });
      await writeProbe(trialist).expect(200);
      await t.mail.waitFor(trialist.email, /Provperiod för .* har startat/);
    });

    it('a trial is not granted over Pro', async () => {
      const res = await t.http
        .post(api(`/admin/billing/accounts/${owner.organizationId}/trial`))
        .set(admin.auth)
        .send({})
        .expect(409);
      expect(res.body.code).toBe('PLAN_CONFLICT');
    });

    it('3 days left: a reminder; on trialEnd: free and read-only, with a mail', async () => {
      clock.travelTo(morning(addDays(trialEnd, -3)));
      expect(changesFor(await runTransitions(), trialist.organizationId)[0]?.reminders).toEqual([
        { kind: 'trial_ending', daysLeft: 3 },
      ]);
      await t.mail.waitFor(trialist.email, /Provperioden för .* slutar om 3 dagar/);
      clock.travelTo(morning(addDays(trialEnd, -1)));
      await runTransitions();
      expect((await billingOf(trialist)).plan).toBe('trial');
      clock.travelTo(morning(trialEnd));
      const run = await runTransitions();
      expect(changesFor(run, trialist.organizationId)[0]?.transitions).toEqual([
        expect.objectContaining({ kind: 'trial_expired', to: { plan: 'free', billingStatus: 'active' } }),
      ]);
      expect(await billingOf(trialist)).toMatchObject({ plan: 'free', access: 'read_only' });
      expect((await writeProbe(trialist).expect(403)).body.code).toBe('ACCOUNT_READ_ONLY');
      const mail = await t.mail.waitFor(trialist.email, /Provperioden för .* har tagit slut/);
      expect(mail.text).toContain('skrivskyddad');
    });
  });

  describe("another organization's billing data never leaks", () => {
    it('GET /billing and PATCH /billing/details with X-Organization-Id of another organization: the same 404 as a missing one', async () => {
      const foreign = await t.http
        .get(api('/billing'))
        .set(trialist.auth)
        .set('X-Organization-Id', owner.organizationId)
        .expect(404);
      const missing = await t.http
        .get(api('/billing'))
        .set(trialist.auth)
        .set('X-Organization-Id', 'A999999')
        .expect(404);
      expect(withoutRequestId(foreign)).toEqual(withoutRequestId(missing));
      expect(JSON.stringify(foreign.body)).not.toContain('1001');
      const write = await t.http
        .patch(api('/billing/details'))
        .set(owner.auth)
        .set('X-Organization-Id', trialist.organizationId)
        .send({ reference: 'intrång' })
        .expect(404);
      expect(withoutRequestId(write)).toEqual(withoutRequestId(missing));
      expect((await billingOf(trialist)).details?.reference).not.toBe('intrång');
    });
  });

  describe('admin invitations {email, plan}', () => {
    it('an existing customer accepts with the mailed token: Pro applies at once to their organization', async () => {
      const customer = await createUser(t, { name: 'Befintlig Kund' });
      const res = await t.http
        .post(api('/admin/billing/invitations'))
        .set(admin.auth)
        .send({ email: customer.email, plan: 'pro' })
        .expect(201);
      expect(res.body).toMatchObject({ email: customer.email, plan: 'pro', existingCustomer: true });
      const mail = await t.mail.waitFor(customer.email, /inbjuden till WestWallet Pro/);
      expect(mail.text).toContain('Logga in och acceptera');
      const token = MailCatcher.token(mail);

      const wrongPerson = await t.http
        .post(api('/billing/invitations/accept'))
        .set(trialist.auth)
        .send({ token })
        .expect(403);
      expect(wrongPerson.body.code).toBe('INVITATION_EMAIL_MISMATCH');
      // accepting works while the organization is read-only (free)
      const accepted = await t.http
        .post(api('/billing/invitations/accept'))
        .set(customer.auth)
        .send({ token })
        .expect(200);
      expect(accepted.body).toMatchObject({
        organizationId: customer.organizationId,
        plan: 'pro',
        access: 'full',
        currentPeriodPaid: false,
      });
      const twice = await t.http
        .post(api('/billing/invitations/accept'))
        .set(customer.auth)
        .send({ token })
        .expect(400);
      expect(twice.body.code).toBe('INVITATION_INVALID');
      await t.mail.waitFor(customer.email, /WestWallet Pro är aktiverat/);
    });

    it('a new customer registers with the invited address: their household has Pro once the address is verified', async () => {
      const email = uniqueEmail('newcustomer');
      const res = await t.http
        .post(api('/admin/billing/invitations'))
        .set(admin.auth)
        .send({ email, plan: 'pro' })
        .expect(201);
      expect(res.body.existingCustomer).toBe(false);
      const mail = await t.mail.waitFor(email, /inbjuden till WestWallet Pro/);
      expect(mail.text).toContain('Skapa ett konto');
      expect(mail.text).toContain('/register?email=');
      const customer = await createUser(t, { email, name: 'Ny Kund' });
      expect(await billingOf(customer)).toMatchObject({
        plan: 'pro',
        billingStatus: 'active',
        access: 'full',
      });
      await writeProbe(customer).expect(200);
      // the token is spent with the invitation
      const token = MailCatcher.token(mail);
      expect(
        (await t.http.post(api('/billing/invitations/accept')).set(customer.auth).send({ token }).expect(400))
          .body.code,
      ).toBe('INVITATION_INVALID');
    });
  });

  describe('the daily job', () => {
    it('enqueued twice for the same Stockholm date runs once', async () => {
      const jobs = t.app.get(BillingJobs);
      const date = '2027-06-01';
      const id = await jobs.enqueueDaily(date);
      expect(id).toBe(jobIdFor(JobName.BillingDailyTransitions, date));
      expect(await jobs.enqueueDaily(date)).toBe(id);
      const queue = t.app.get(JobQueue).queue(QueueName.Billing);
      const deadline = Date.now() + 20_000;
      while (!(await (await queue.getJob(id))?.isCompleted())) {
        if (Date.now() > deadline) throw new Error('the daily job did not complete');
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      const all = await queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed']);
      expect(
        all.filter((j) => j.name === String(JobName.BillingDailyTransitions) && j.data.date === date),
      ).toHaveLength(1);
      const runs = await t.db
        .collection('audit_entries')
        .find({ action: 'billing.transitions_run', 'metadata.date': date })
        .toArray();
      expect(runs).toHaveLength(1);
      expect(runs[0]?.metadata).toMatchObject({ trigger: 'daily', date });
    });
  });
});
