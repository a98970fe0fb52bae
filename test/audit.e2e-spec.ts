import type { Response } from 'supertest';
import { createAdmin, createUser, uniqueEmail, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';

interface AuditItem {
  id: string;
  seq: number;
  organizationId: string | null;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  changes: { before: Record<string, unknown>; after: Record<string, unknown> } | null;
  metadata: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  at: string;
  hash: string;
  prevHash: string;
}

interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

const api = (path: string) => `/api/v1${path}`;

/** An error body without the per-request part, for "indistinguishable from a missing record" comparisons. */
function withoutRequestId(res: Response): Record<string, unknown> {
  const { requestId, ...rest } = res.body as Record<string, unknown>;
  expect(typeof requestId).toBe('string');
  return rest;
}

describe('audit log', () => {
  let t: TestApp;
  /** Owner of organization A (their household). */
  let owner: TestUser;
  /** Owner of organization B (their household): another tenant. */
  let other: TestUser;
  /** Joins A by invitation as viewer. */
  let viewer: TestUser;
  /** Platform admin. */
  let admin: TestUser;
  let orgA: string;
  let orgB: string;

  const auditPage = (as: TestUser, query: Record<string, string | number>, organizationId?: string) => {
    const req = t.http.get(api('/audit')).set(as.auth).query(query);
    return organizationId ? req.set('X-Organization-Id', organizationId) : req;
  };

  /** Every entry the API shows for the filter, walking the cursor with the largest page. */
  async function allEntries(
    as: TestUser,
    organizationId: string,
    query: Record<string, string> = {},
  ): Promise<AuditItem[]> {
    const items: AuditItem[] = [];
    let cursor: string | null = null;
    do {
      const res = await auditPage(
        as,
        { ...query, limit: 100, ...(cursor ? { cursor } : {}) },
        organizationId,
      ).expect(200);
      const page = res.body as AuditPage;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  const verify = (as: TestUser, organizationId: string) =>
    t.http.get(api('/admin/audit/verify')).set(as.auth).query({ organizationId });

  async function createOrganization(name: string): Promise<string> {
    const res = await t.http
      .post(api('/organizations'))
      .set(owner.auth)
      .send({ name, type: 'family' })
      .expect(201);
    return res.body.id as string;
  }

  const rename = (organizationId: string, name: string) =>
    t.http
      .patch(api(`/organizations/${organizationId}`))
      .set(owner.auth)
      .send({ name });

  beforeAll(async () => {
    t = await startTestApp();
    [owner, other, viewer, admin] = await Promise.all([
      createUser(t, { name: 'Ägare Ägarsson' }),
      createUser(t, { name: 'Annan Organisation' }),
      createUser(t, { name: 'Tittare Tittarsson' }),
      createAdmin(t),
    ]);
    orgA = owner.organizationId;
    orgB = other.organizationId;

    // The viewer joins A through the real invitation flow (audited as invitation.created / invitation.accepted).
    await t.http
      .post(api(`/organizations/${orgA}/invitations`))
      .set(owner.auth)
      .send({ email: viewer.email, role: 'viewer' })
      .expect(201);
    const token = MailCatcher.token(await t.mail.waitFor(viewer.email, /bjuder in dig|invites you/));
    await t.http.post(api('/invitations/accept')).set(viewer.auth).send({ token }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('what is recorded', () => {
    it('an organization update: actor, target, changed fields, request id, IP and user agent', async () => {
      const before = await t.http
        .get(api(`/organizations/${orgA}`))
        .set(owner.auth)
        .expect(200);
      const oldName = before.body.name as string;
      const started = Date.now();
      const res = await rename(orgA, 'Hushållet Omdöpt')
        .set('User-Agent', 'audit-spec/1.0 (jest)')
        .set('X-Forwarded-For', '203.0.113.9')
        .expect(200);
      const requestId = res.headers['x-request-id'];
      expect(requestId).toEqual(expect.any(String));

      const page = (await auditPage(owner, { action: 'organization.updated' }, orgA).expect(200))
        .body as AuditPage;
      expect(page.items).toHaveLength(1);
      const [entry] = page.items;
      expect(entry).toEqual({
        id: expect.stringMatching(/^A\d{6,}$/),
        seq: expect.any(Number),
        organizationId: orgA,
        actorId: owner.id,
        action: 'organization.updated',
        targetType: 'organization',
        targetId: orgA,
        // Only what changed: the type stayed the same.
        changes: { before: { name: oldName }, after: { name: 'Hushållet Omdöpt' } },
        metadata: null,
        requestId,
        ip: '203.0.113.9',
        userAgent: 'audit-spec/1.0 (jest)',
        at: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const at = Date.parse(entry.at);
      expect(at).toBeGreaterThanOrEqual(started - 5);
      expect(at).toBeLessThanOrEqual(Date.now());
    });

    it('a client-chosen X-Request-Id is the one recorded', async () => {
      const chosen = `audit-spec-${Date.now()}`;
      const res = await rename(orgA, 'Hushållet Igen').set('X-Request-Id', chosen).expect(200);
      expect(res.headers['x-request-id']).toBe(chosen);
      const page = (await auditPage(owner, { action: 'organization.updated', limit: 1 }, orgA).expect(200))
        .body as AuditPage;
      expect(page.items[0]).toMatchObject({
        requestId: chosen,
        changes: { before: { name: 'Hushållet Omdöpt' }, after: { name: 'Hushållet Igen' } },
      });
    });

    it('a refused write leaves no entry', async () => {
      const before = await allEntries(owner, orgA);
      const res = await rename(orgA, '').expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      await t.http
        .patch(api(`/organizations/${orgA}`))
        .set(viewer.auth)
        .send({ name: 'Viewer rename' })
        .expect(403);
      const after = await allEntries(owner, orgA);
      expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
    });

    it('auth events stay out of the organization log (they are per-user security events): none, planted or not', async () => {
      const wrongPassword = `wrong-${Date.now()}-password`;
      // An anonymous caller with a chosen user agent once planted `auth.login_failed` entries in any household's log.
      await t.http
        .post(api('/auth/login'))
        .set('User-Agent', 'Planted/1.0')
        .send({ email: owner.email, password: wrongPassword })
        .expect(401);
      await t.http
        .post(api('/auth/login'))
        .send({ email: owner.email, password: owner.password })
        .expect(200);
      await t.http.post(api('/auth/forgot-password')).send({ email: owner.email }).expect(202);

      const everything = await allEntries(owner, orgA);
      expect(everything.length).toBeGreaterThan(0);
      expect(everything.filter((e) => e.action.startsWith('auth.'))).toEqual([]);
      const text = JSON.stringify(everything);
      expect(text).not.toContain('Planted/1.0');
      // No password, hash or token is ever written to the log.
      for (const secret of [wrongPassword, owner.password, owner.accessToken, owner.refreshToken]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/\$2[aby]\$/); // no bcrypt hash
      // The user's own security log has them.
      const events = await t.http.get(api('/me/security-events')).set(owner.auth).expect(200);
      expect(events.body.items).toContainEqual(
        expect.objectContaining({ type: 'login_failed', userAgent: 'Planted/1.0' }),
      );
    });
  });

  describe('GET /audit', () => {
    it('filters by action, actor, target and time (from inclusive, to exclusive)', async () => {
      const all = await allEntries(owner, orgA);
      // (sign-in events are no longer among them: they are per-user security events)
      expect(all.length).toBeGreaterThanOrEqual(5);
      const ids = (entries: AuditItem[]) => entries.map((e) => e.id);
      const filtered = async (query: Record<string, string>) => ids(await allEntries(owner, orgA, query));

      const invitations = all.filter((e) => e.action === 'invitation.created');
      expect(invitations).toHaveLength(1);
      expect(await filtered({ action: 'invitation.created' })).toEqual(ids(invitations));

      const byViewer = all.filter((e) => e.actorId === viewer.id);
      expect(byViewer.map((e) => e.action)).toEqual(['invitation.accepted']);
      expect(await filtered({ actorId: viewer.id })).toEqual(ids(byViewer));
      const byOwner = all.filter((e) => e.actorId === owner.id);
      expect(byOwner.length).toBeGreaterThan(byViewer.length);
      expect(await filtered({ actorId: owner.id })).toEqual(ids(byOwner));

      const aboutOrg = all.filter((e) => e.targetId === orgA);
      expect(aboutOrg.map((e) => e.action)).toEqual(
        expect.arrayContaining(['organization.created', 'organization.updated']),
      );
      expect(await filtered({ targetId: orgA })).toEqual(ids(aboutOrg));
      expect(
        await filtered({ targetId: orgA, targetType: 'organization', action: 'organization.created' }),
      ).toEqual(ids(aboutOrg.filter((e) => e.action === 'organization.created')));
      expect(await filtered({ targetId: 'A999999' })).toEqual([]);

      // A window that cuts off the oldest and the newest entries.
      const times = [...new Set(all.map((e) => e.at))].sort();
      expect(times.length).toBeGreaterThanOrEqual(4);
      const from = times[1];
      const to = times[times.length - 1];
      const inWindow = all.filter((e) => e.at >= from && e.at < to);
      expect(inWindow.length).toBeGreaterThan(0);
      expect(inWindow.length).toBeLessThan(all.length);
      expect(await filtered({ from, to })).toEqual(ids(inWindow));
      expect(await filtered({ from })).toEqual(ids(all.filter((e) => e.at >= from)));
      expect(await filtered({ to })).toEqual(ids(all.filter((e) => e.at < to)));
    });

    it('refuses bad filters with 400', async () => {
      const now = new Date().toISOString();
      const queries: Array<Record<string, string | number>> = [
        { from: now, to: now },
        { action: 'no.such_action' },
        { from: 'yesterday' },
        { limit: 0 },
        { limit: 101 },
        { unknown: 'x' },
        { cursor: 'not-a-cursor' },
      ];
      for (const query of queries) {
        const res = await auditPage(owner, query, orgA);
        expect({ query, status: res.status, code: res.body.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    });

    it('pages newest first with a cursor: limit=2, every entry once', async () => {
      const all = await allEntries(owner, orgA);
      expect(all.length).toBeGreaterThanOrEqual(5);
      const walked: AuditItem[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await auditPage(owner, { limit: 2, ...(cursor ? { cursor } : {}) }, orgA).expect(200);
        const page = res.body as AuditPage;
        pages++;
        expect(page.items.length).toBeGreaterThan(0);
        expect(page.items.length).toBeLessThanOrEqual(2);
        walked.push(...page.items);
        cursor = page.nextCursor;
        expect(pages).toBeLessThanOrEqual(all.length); // no endless loop
      } while (cursor);

      expect(pages).toBe(Math.ceil(all.length / 2));
      const walkedIds = walked.map((e) => e.id);
      expect(new Set(walkedIds).size).toBe(walkedIds.length);
      expect(walkedIds).toEqual(all.map((e) => e.id));
      const times = walked.map((e) => Date.parse(e.at));
      expect(times.every((time, i) => i === 0 || time <= times[i - 1])).toBe(true);
      // Newest first also within the one chain: seq falls.
      expect(walked.every((e, i) => i === 0 || e.seq < walked[i - 1].seq || e.at === walked[i - 1].at)).toBe(
        true,
      );
    });

    it('is for owners and admins of the organization: viewer and member get 403', async () => {
      const asViewer = await auditPage(viewer, {}, orgA);
      expect(asViewer.status).toBe(403);
      expect(asViewer.body.code).toBe('INSUFFICIENT_ORG_ROLE');

      await t.http
        .patch(api(`/organizations/${orgA}/members/${viewer.id}`))
        .set(owner.auth)
        .send({ role: 'member' })
        .expect(200);
      const asMember = await auditPage(viewer, {}, orgA);
      expect(asMember.status).toBe(403);
      expect(asMember.body.code).toBe('INSUFFICIENT_ORG_ROLE');

      await t.http
        .patch(api(`/organizations/${orgA}/members/${viewer.id}`))
        .set(owner.auth)
        .send({ role: 'admin' })
        .expect(200);
      const asAdmin = (await auditPage(viewer, { action: 'member.role_changed' }, orgA).expect(200))
        .body as AuditPage;
      expect(asAdmin.items.map((e) => [e.actorId, e.targetId, e.changes])).toEqual([
        [owner.id, viewer.id, { before: { role: 'member' }, after: { role: 'admin' } }],
        [owner.id, viewer.id, { before: { role: 'viewer' }, after: { role: 'member' } }],
      ]);

      // Without a token: 401.
      const anonymous = await t.http.get(api('/audit')).set('X-Organization-Id', orgA);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHORIZED');
    });

    it("organization B sees none of A's entries and gets the same 404 as for a missing organization", async () => {
      const idsOfA = new Set((await allEntries(owner, orgA)).map((e) => e.id));
      const own = await allEntries(other, orgB);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((e) => e.organizationId === orgB)).toBe(true);
      expect(own.filter((e) => idsOfA.has(e.id))).toEqual([]);
      // The default organization is their own: the same list without the header.
      const implicit = (await auditPage(other, { limit: 100 }).expect(200)).body as AuditPage;
      expect(implicit.items.map((e) => e.id)).toEqual(own.map((e) => e.id));
      // Filters cannot reach across either.
      expect(await allEntries(other, orgB, { targetId: orgA })).toEqual([]);
      expect(await allEntries(other, orgB, { actorId: owner.id })).toEqual([]);

      const foreign = await auditPage(other, {}, orgA);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'organization' } });
      const missing = await auditPage(other, {}, 'A999999');
      expect(missing.status).toBe(404);
      expect(withoutRequestId(foreign)).toEqual(withoutRequestId(missing));
      const malformed = await auditPage(other, {}, 'not-an-id');
      expect(malformed.status).toBe(404);
      expect(withoutRequestId(malformed)).toEqual(withoutRequestId(missing));
    });
  });

  describe('hash chain verification (platform admins)', () => {
    it('an untouched chain is valid and counts every entry of the organization', async () => {
      // One more kind of entry first: leaving records `after: {}`, which must read back exactly as it was hashed.
      await t.http
        .delete(api(`/organizations/${orgA}/members/${viewer.id}`))
        .set(viewer.auth)
        .expect(204);
      const all = await allEntries(owner, orgA);
      expect(all[0]).toMatchObject({
        action: 'member.removed',
        actorId: viewer.id,
        targetId: viewer.id,
        changes: { before: { role: 'admin' }, after: {} },
      });
      const res = await verify(admin, orgA).expect(200);
      expect(res.body).toEqual({ organizationId: orgA, valid: true, count: all.length });
      expect(all.length).toBeGreaterThan(0);
      // The entries link up: each prevHash is the hash of the entry before it.
      const bySeq = [...all].sort((a, b) => a.seq - b.seq);
      expect(bySeq.map((e) => e.seq)).toEqual(bySeq.map((_, i) => i + 1));
      expect(bySeq[0].prevHash).toBe('0'.repeat(64));
      for (let i = 1; i < bySeq.length; i++) expect(bySeq[i].prevHash).toBe(bySeq[i - 1].hash);
    });

    it('the platform chain (events outside any organization) verifies too', async () => {
      const before = (await verify(admin, 'platform').expect(200)).body as { count: number };
      // A billing invitation is a platform event (no organization yet); failed logins no longer are (issue 10).
      await t.http
        .post(api('/admin/billing/invitations'))
        .set(admin.auth)
        .send({ email: uniqueEmail('invited'), plan: 'trial' })
        .expect(201);
      const after = await verify(admin, 'platform').expect(200);
      expect(after.body).toEqual({ organizationId: 'platform', valid: true, count: before.count + 1 });
    });

    it('detects an edited entry', async () => {
      const org = await createOrganization('Manipulerad Förening');
      for (const name of ['Ett', 'Två', 'Tre']) await rename(org, name).expect(200);
      expect((await verify(admin, org).expect(200)).body).toEqual({
        organizationId: org,
        valid: true,
        count: 4,
      });
      const second = (await allEntries(owner, org)).find((e) => e.seq === 2);
      expect(second).toBeDefined();

      const result = await t.db
        .collection('audit_entries')
        .updateOne({ chain: org, seq: 2 }, { $set: { action: 'x' } });
      expect(result.modifiedCount).toBe(1);

      const res = await verify(admin, org).expect(200);
      expect(res.body).toEqual({
        organizationId: org,
        valid: false,
        count: 4,
        brokenAt: { id: second!.id, seq: 2, reason: 'hash_mismatch' },
      });
      // Other chains are not affected.
      expect((await verify(admin, orgA).expect(200)).body).toMatchObject({ valid: true });
    });

    it('detects an edit of the recorded changes, not only of the action', async () => {
      const org = await createOrganization('Ändrade Fält');
      await rename(org, 'Före').expect(200);
      await rename(org, 'Efter').expect(200);
      const result = await t.db
        .collection('audit_entries')
        .updateOne({ chain: org, seq: 3 }, { $set: { 'changes.after.name': 'Förfalskat' } });
      expect(result.modifiedCount).toBe(1);
      expect((await verify(admin, org).expect(200)).body).toMatchObject({
        valid: false,
        brokenAt: { seq: 3, reason: 'hash_mismatch' },
      });
    });

    it('detects an entry deleted from the middle of the chain', async () => {
      const org = await createOrganization('Raderad Post');
      for (const name of ['Ett', 'Två', 'Tre']) await rename(org, name).expect(200);
      const third = (await allEntries(owner, org)).find((e) => e.seq === 3);
      expect(third).toBeDefined();

      const result = await t.db.collection('audit_entries').deleteOne({ chain: org, seq: 2 });
      expect(result.deletedCount).toBe(1);

      const res = await verify(admin, org).expect(200);
      expect(res.body).toEqual({
        organizationId: org,
        valid: false,
        count: 3,
        brokenAt: { id: third!.id, seq: 3, reason: 'sequence_gap' },
      });
    });

    it('404 for an id of the wrong shape, 400 without one, 403 for non-admins, 401 without a token', async () => {
      for (const id of ['not-an-id', 'a000001', 'A00001', 'B000001', 'A0000001', 'platforms']) {
        const res = await verify(admin, id);
        expect({ id, status: res.status, code: res.body.code }).toEqual({
          id,
          status: 404,
          code: 'NOT_FOUND',
        });
      }
      const missing = await t.http.get(api('/admin/audit/verify')).set(admin.auth);
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('VALIDATION_FAILED');

      for (const user of [owner, viewer]) {
        const res = await verify(user, orgA);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      const anonymous = await t.http.get(api('/admin/audit/verify')).query({ organizationId: orgA });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('concurrency', () => {
    it('20 concurrent updates of one organization keep one linear chain (no forks)', async () => {
      const org = await createOrganization('Samtidiga Ändringar');
      const N = 20;
      const responses = await Promise.all(Array.from({ length: N }, (_, i) => rename(org, `Namn ${i}`)));
      expect(responses.map((r) => r.status)).toEqual(Array.from({ length: N }, () => 200));

      const res = await verify(admin, org).expect(200);
      expect(res.body).toEqual({ organizationId: org, valid: true, count: N + 1 });

      const entries = await allEntries(owner, org);
      expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: N + 1 }, (_, i) => i + 1),
      );
      expect(new Set(entries.map((e) => e.prevHash)).size).toBe(N + 1); // no two entries hang off the same one
      const updates = entries.filter((e) => e.action === 'organization.updated');
      expect(updates).toHaveLength(N);
      expect(new Set(updates.map((e) => e.requestId))).toEqual(
        new Set(responses.map((r) => r.headers['x-request-id'])),
      );
    });

    it('appends start from the chain head; a head left behind or lost costs a retry, never a wrong link', async () => {
      const org = await createOrganization('Huvudet Efter');
      await rename(org, 'Ett').expect(200);
      const heads = t.db.collection<{ _id: string; seq: number; hash: string }>('audit_heads');
      expect(await heads.findOne({ _id: org })).toMatchObject({ seq: 2 });
      // a crash between the entry and its head: the head still names seq 1
      const first = await t.db.collection('audit_entries').findOne({ chain: org, seq: 1 });
      await heads.updateOne({ _id: org }, { $set: { seq: 1, hash: first!.hash as string } });
      await rename(org, 'Två').expect(200);
      expect(await heads.findOne({ _id: org })).toMatchObject({ seq: 3 });
      // no head at all (a database from before heads existed)
      await heads.deleteOne({ _id: org });
      await rename(org, 'Tre').expect(200);
      expect(await heads.findOne({ _id: org })).toMatchObject({ seq: 4 });
      const res = await verify(admin, org).expect(200);
      expect(res.body).toEqual({ organizationId: org, valid: true, count: 4 });
    });
  });
});
