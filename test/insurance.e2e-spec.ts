import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { ReminderRunsService } from '../src/modules/reminders/runs/runs.service';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';
import { minimalPdf } from './helpers/upload-fixtures';

/**
 * Insurance policies over HTTP: create, list, read, change, trash and restore; the policy number encrypted at rest,
 * masked for viewers and in the audit log, in full for members and admins; insurer and car references; the renewal
 * reminder; the summary; and organization B never reaching organization A's policies.
 */

const api = (path: string) => `/api/v1${path}`;

interface Policy {
  id: string;
  policyNumber: string | null;
  policyNumberMasked: boolean;
  insurerId: string | null;
  insurerName: string | null;
  carId: string | null;
  item: string | null;
  yearlyPremium: number;
  nextRenewal: string | null;
}

describe('insurance', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let viewer: Record<string, string>;
  let member: Record<string, string>;
  let insurerId: string;
  let carId: string;
  let home: Policy;

  const post = (auth: Record<string, string>, path: string, body: object) =>
    t.http.post(api(path)).set(auth).send(body);
  const patch = (auth: Record<string, string>, path: string, body: object) =>
    t.http.patch(api(path)).set(auth).send(body);
  const get = (auth: Record<string, string>, path: string) => t.http.get(api(path)).set(auth);
  const del = (auth: Record<string, string>, path: string) => t.http.delete(api(path)).set(auth);

  /** Invites a new person into a's organization with `role`; their headers for that organization. */
  async function join(role: 'viewer' | 'member', email: string): Promise<Record<string, string>> {
    await post(a.auth, `/organizations/${a.organizationId}/invitations`, { email, role }).expect(201);
    const mail = await t.mail.waitFor(email, /./);
    const person = await createUser(t, { email });
    await post(person.auth, '/invitations/accept', { token: MailCatcher.token(mail) }).expect(200);
    return { ...person.auth, 'X-Organization-Id': a.organizationId };
  }

  const homeBody = () => ({
    insurerId,
    policyNumber: 'HF-1234-5678',
    type: 'home',
    premium: 25_000,
    premiumPeriod: 'monthly',
    renewalDate: '2026-07-01',
    coverageText: 'Hemförsäkring med drulle',
    coverageAmount: 100_000_000,
    deductible: 150_000,
    item: 'Lägenheten på Storgatan 1',
  });

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-06-10T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
    viewer = await join('viewer', 'insurance-viewer@example.se');
    member = await join('member', 'insurance-member@example.se');
    insurerId = (await post(a.auth, '/suppliers', { name: 'Länsförsäkringar' }).expect(201)).body.id;
    carId = (await post(a.auth, '/cars', { registration: 'ABC 123' }).expect(201)).body.id;
  });

  afterAll(() => t.close());

  it('creates, lists, reads and changes a policy', async () => {
    home = (await post(a.auth, '/insurance', homeBody()).expect(201)).body as Policy;
    expect(home).toMatchObject({
      insurerId,
      insurerName: null,
      policyNumber: 'HF-1234-5678',
      policyNumberMasked: false,
      type: 'home',
      premium: 25_000,
      premiumPeriod: 'monthly',
      yearlyPremium: 300_000,
      currency: 'SEK',
      renewalDate: '2026-07-01',
      nextRenewal: '2026-07-01',
      deductible: 150_000,
      carId: null,
      item: 'Lägenheten på Storgatan 1',
    });
    const car = (
      await post(a.auth, '/insurance', {
        insurerName: 'Folksam',
        type: 'car',
        premium: 480_000,
        carId,
        renewalDate: '2025-06-20',
      }).expect(201)
    ).body as Policy;
    // A passed renewal date comes back a year later.
    expect(car).toMatchObject({ carId, item: null, premiumPeriod: 'yearly', nextRenewal: '2026-06-20' });

    const homes = (await get(a.auth, '/insurance?type=home').expect(200)).body.items as Policy[];
    expect(homes.map((p) => p.id)).toEqual([home.id]);
    const all = (await get(a.auth, '/insurance?limit=1').expect(200)).body;
    expect(all.items).toHaveLength(1);
    const next = (await get(a.auth, `/insurance?limit=1&cursor=${all.nextCursor as string}`).expect(200))
      .body;
    expect([...all.items, ...next.items].map((p: Policy) => p.id).sort()).toEqual([home.id, car.id].sort());

    const changed = (
      await patch(a.auth, `/insurance/${home.id}`, { premium: 27_500, deductible: null }).expect(200)
    ).body;
    expect(changed).toMatchObject({ premium: 27_500, yearlyPremium: 330_000, deductible: null });
    expect((await get(a.auth, `/insurance/${home.id}`).expect(200)).body.premium).toBe(27_500);
    await patch(a.auth, `/insurance/${home.id}`, {}).expect(400);
    await post(a.auth, '/insurance', { ...homeBody(), type: 'boat' }).expect(400);
    await post(a.auth, '/insurance', { ...homeBody(), premium: 12.5 }).expect(400);
  });

  it('keeps the policy number encrypted at rest and masked in the audit log', async () => {
    await patch(a.auth, `/insurance/${home.id}`, { policyNumber: 'HF-9999-0001' }).expect(200);
    const raw = await t.db.collection('insurance_policies').findOne({ _id: home.id as never });
    expect(raw!.policyNumberEnc).toMatch(/^v1:/);
    const audit = await t.db.collection('audit_entries').find({ targetId: home.id }).toArray();
    expect(audit.map((e) => e.action).sort()).toEqual([
      'insurance.created',
      'insurance.updated',
      'insurance.updated',
    ]);
    const stored = JSON.stringify([raw, audit]);
    for (const plain of ['1234-5678', '12345678', '9999-0001', '99990001'])
      expect(stored).not.toContain(plain);
    expect(JSON.stringify(audit)).not.toContain('policyNumberEnc');
    expect(JSON.stringify(audit)).not.toContain('v1:k');
    expect(JSON.stringify(audit.map((e) => e.changes))).toContain('•••• 0001');
    expect((await get(a.auth, `/insurance/${home.id}`).expect(200)).body.policyNumber).toBe('HF-9999-0001');
  });

  it('shows the policy number in full to members and admins, masked to viewers (who cannot write)', async () => {
    const seen = (await get(viewer, `/insurance/${home.id}`).expect(200)).body as Policy;
    expect(seen).toMatchObject({ policyNumber: '•••• 0001', policyNumberMasked: true });
    const listed = (await get(viewer, '/insurance?type=home').expect(200)).body.items as Policy[];
    expect(listed[0]).toMatchObject({ policyNumber: '•••• 0001', policyNumberMasked: true });
    expect(JSON.stringify(listed)).not.toContain('9999');
    for (const headers of [member, a.auth])
      expect((await get(headers, `/insurance/${home.id}`).expect(200)).body).toMatchObject({
        policyNumber: 'HF-9999-0001',
        policyNumberMasked: false,
      });
    await post(viewer, '/insurance', homeBody()).expect(403);
    await patch(viewer, `/insurance/${home.id}`, { premium: 1 }).expect(403);
    await post(member, '/insurance', {
      ...homeBody(),
      policyNumber: null,
      type: 'pet',
      item: 'Hunden Sixten',
      renewalDate: null,
    }).expect(201);
  });

  it('names the insurer one way and links a car or an item, checked', async () => {
    const none = await post(a.auth, '/insurance', { type: 'travel' }).expect(400);
    expect(none.body).toMatchObject({ code: 'INSURER_REQUIRED', details: { field: 'insurerId' } });
    const both = await post(a.auth, '/insurance', { type: 'travel', insurerId, insurerName: 'If' }).expect(
      400,
    );
    expect(both.body.code).toBe('INSURER_REQUIRED');
    const missing = await post(a.auth, '/insurance', { type: 'travel', insurerId: 'A999999' }).expect(400);
    expect(missing.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'insurerId' } });
    const noCar = await post(a.auth, '/insurance', {
      type: 'car',
      insurerName: 'If',
      carId: 'A999999',
    }).expect(400);
    expect(noCar.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'carId' } });
    const twoLinks = await post(a.auth, '/insurance', {
      type: 'car',
      insurerName: 'If',
      carId,
      item: 'Släpvagnen',
    }).expect(400);
    expect(twoLinks.body.code).toBe('ONE_LINK_ONLY');

    // Naming the insurer or the link one way clears the other; taking the only insurer away is refused.
    const byName = (
      await patch(a.auth, `/insurance/${home.id}`, { insurerName: 'If Skadeförsäkring' }).expect(200)
    ).body as Policy;
    expect(byName).toMatchObject({ insurerId: null, insurerName: 'If Skadeförsäkring' });
    const cleared = await patch(a.auth, `/insurance/${home.id}`, { insurerName: null }).expect(400);
    expect(cleared.body.code).toBe('INSURER_REQUIRED');
    const back = (await patch(a.auth, `/insurance/${home.id}`, { insurerId, carId }).expect(200))
      .body as Policy;
    expect(back).toMatchObject({ insurerId, insurerName: null, carId, item: null });
    const item = (
      await patch(a.auth, `/insurance/${home.id}`, { item: 'Lägenheten på Storgatan 1' }).expect(200)
    ).body as Policy;
    expect(item).toMatchObject({ carId: null, item: 'Lägenheten på Storgatan 1' });
  });

  it('reminds of the renewal with the policy’s lead days', async () => {
    const run = (date: string) =>
      t.app
        .get(RequestContext)
        .run({ tenant: { organizationId: a.organizationId, orgRole: 'owner' } }, () =>
          t.app.get(ReminderRunsService).run(date),
        );
    await run('2026-06-10');
    const due = (await get(a.auth, '/reminders?due=2026-06-10').expect(200)).body.items as {
      kind: string;
      title: string;
      titles: { sv: string; en: string };
    }[];
    const renewals = due.filter((r) => r.kind === 'insurance.renewal').map((r) => r.title);
    // Home (21 days away: the 30-day lead) and car (rolled on to 2026-06-20, 10 days away: the 30-day lead); the
    // pet policy has no renewal date.
    expect(renewals.sort()).toEqual([
      'Bilförsäkring (Folksam) förnyas 2026-06-20',
      'Hemförsäkring (Länsförsäkringar, Lägenheten på Storgatan 1) förnyas 2026-07-01',
    ]);
    const en = due.find((r) => r.kind === 'insurance.renewal' && r.title.startsWith('Hem'))?.titles.en;
    expect(en).toBe('Home insurance (Länsförsäkringar, Lägenheten på Storgatan 1) renews on 2026-07-01');
    expect(JSON.stringify(due)).not.toContain('9999');

    // The renewal moved half a year on: the open reminder becomes obsolete, and nothing is due yet.
    await patch(a.auth, `/insurance/${home.id}`, { renewalDate: '2026-12-01' }).expect(200);
    await run('2026-06-10');
    const after = (await get(a.auth, '/reminders?due=2026-06-10').expect(200)).body.items as {
      kind: string;
      title: string;
    }[];
    expect(after.filter((r) => r.kind === 'insurance.renewal').map((r) => r.title)).toEqual([
      'Bilförsäkring (Folksam) förnyas 2026-06-20',
    ]);
  });

  it('sums the yearly premium per type and lists the renewals of the next 60 days', async () => {
    const c = await createUser(t);
    await activatePro(t, c.organizationId, 400);
    const add = (body: object) =>
      post(c.auth, '/insurance', { insurerName: 'Trygg-Hansa', ...body }).expect(201);
    const homeC = (
      await add({ type: 'home', premium: 25_000, premiumPeriod: 'monthly', renewalDate: '2026-08-01' })
    ).body as Policy;
    const carC = (
      await add({ type: 'car', premium: 120_000, premiumPeriod: 'quarterly', renewalDate: '2025-06-15' })
    ).body as Policy;
    await add({ type: 'car', premium: 300_000, renewalDate: '2026-08-10' }); // 61 days away: outside
    await add({ type: 'life', premium: 50_000, premiumPeriod: 'half_yearly' });
    await add({ type: 'travel', premium: 9_900, currency: 'EUR', renewalDate: '2026-06-12' });
    const summary = (await get(c.auth, '/insurance/summary').expect(200)).body;
    expect(summary).toMatchObject({
      today: '2026-06-10',
      currency: 'SEK',
      policies: 4,
      yearlyPremiumTotal: 300_000 + 480_000 + 300_000 + 100_000,
      byType: [
        { type: 'home', policies: 1, yearlyPremium: 300_000 },
        { type: 'car', policies: 2, yearlyPremium: 780_000 },
        { type: 'life', policies: 1, yearlyPremium: 100_000 },
      ],
      otherCurrencies: 1,
    });
    expect(
      (summary.renewals as { id: string; nextRenewal: string; daysLeft: number; currency: string }[]).map(
        (r) => [r.nextRenewal, r.daysLeft, r.currency],
      ),
    ).toEqual([
      ['2026-06-12', 2, 'EUR'],
      ['2026-06-15', 5, 'SEK'],
      ['2026-08-01', 52, 'SEK'],
    ]);
    expect(summary.renewals[1].id).toBe(carC.id);
    expect(summary.renewals[2].id).toBe(homeC.id);
    // A's summary is A's own.
    expect((await get(b.auth, '/insurance/summary').expect(200)).body).toMatchObject({
      policies: 0,
      yearlyPremiumTotal: 0,
      renewals: [],
    });
  });

  it('moves a policy and its documents to the trash and back, audited', async () => {
    const policy = (
      await post(a.auth, '/insurance', { insurerName: 'Agria', type: 'pet', item: 'Katten Måns' }).expect(201)
    ).body as Policy;
    const upload = await t.http
      .post(api('/uploads'))
      .set(a.auth)
      .field('recordId', policy.id)
      .attach('file', minimalPdf(), 'forsakringsbrev.pdf')
      .expect(201);
    const undo = (await del(a.auth, `/insurance/${policy.id}`).expect(200)).body;
    expect(undo).toMatchObject({ id: policy.id, type: 'insurance_policy', undo: { method: 'POST' } });
    await get(a.auth, `/insurance/${policy.id}`).expect(404);
    await get(a.auth, `/uploads/${upload.body.id as string}`).expect(404);
    expect(
      ((await get(a.auth, '/insurance?type=pet').expect(200)).body.items as Policy[]).map((p) => p.id),
    ).not.toContain(policy.id);
    await t.http.post(undo.undo.href).set(a.auth).expect(200);
    expect((await get(a.auth, `/insurance/${policy.id}`).expect(200)).body.item).toBe('Katten Måns');
    await get(a.auth, `/uploads/${upload.body.id as string}`).expect(200);
    const audit = await get(a.auth, `/audit?targetId=${policy.id}`).expect(200);
    expect((audit.body.items as { action: string }[]).map((e) => e.action)).toEqual(
      expect.arrayContaining(['insurance.created', 'insurance.deleted']),
    );
  });

  describe('organization B cannot read or write organization A', () => {
    it('answers like a missing record, refuses A’s ids as references and never lists A’s policies', async () => {
      const missing = (await get(b.auth, '/insurance/A999998').expect(404)).body;
      const foreign = (await get(b.auth, `/insurance/${home.id}`).expect(404)).body;
      expect({ ...foreign, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
      expect(foreign).toMatchObject({ code: 'NOT_FOUND', details: { type: 'insurance_policy' } });
      const patched = (await patch(b.auth, `/insurance/${home.id}`, { premium: 1 }).expect(404)).body;
      expect({ ...patched, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
      await del(b.auth, `/insurance/${home.id}`).expect(404);
      expect((await get(b.auth, '/insurance').expect(200)).body.items).toEqual([]);

      const car = await post(b.auth, '/insurance', { insurerName: 'If', type: 'car', carId }).expect(400);
      expect(car.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'carId' } });
      const insurer = await post(b.auth, '/insurance', { insurerId, type: 'home' }).expect(400);
      expect(insurer.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'insurerId' } });
      const own = (await post(b.auth, '/insurance', { insurerName: 'If', type: 'home' }).expect(201))
        .body as Policy;
      await patch(b.auth, `/insurance/${own.id}`, { carId }).expect(400);
      // A's policy is untouched.
      expect((await get(a.auth, `/insurance/${home.id}`).expect(200)).body.premium).toBe(27_500);
    });
  });
});
