import { randomBytes } from 'node:crypto';
import { createAdmin, createUser, login, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: string;
  emailVerified: boolean;
  isDeleted: boolean;
  deletedAt: string | null;
  deletedBy: string | null;
  createdAt: string;
}

interface UserPage {
  items: AdminUser[];
  nextCursor: string | null;
}

describe('admin: users', () => {
  let t: TestApp;
  let admin: TestUser;
  /** A plain user: refused everywhere under /admin. */
  let normal: TestUser;
  /** Users whose emails share `tag`, for the email filter and pagination. */
  let tagged: TestUser[];
  const tag = `pager${randomBytes(3).toString('hex')}`;

  const api = (path: string) => `/api/v1${path}`;
  const missingId = () => `${t.config.globalIdPrefix}999999`;

  async function list(query: Record<string, string | number>): Promise<UserPage> {
    const res = await t.http.get(api('/admin/users')).query(query).set(admin.auth).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    return res.body as UserPage;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    normal = await createUser(t, { name: 'Vanlig Användare' });
    tagged = [];
    // one at a time, so createdAt differs and the newest-first order is known
    for (let i = 0; i < 3; i++)
      tagged.push(await createUser(t, { email: `${tag}-${i}@example.se`, name: `Sida ${i}` }));
  });
  afterAll(async () => {
    await t.close();
  });

  describe('role guard', () => {
    const routes = (id: string): Array<[string, () => ReturnType<TestApp['http']['get']>]> => [
      ['GET /admin/users', () => t.http.get(api('/admin/users'))],
      ['GET /admin/users/:id', () => t.http.get(api(`/admin/users/${id}`))],
      ['PATCH /admin/users/:id', () => t.http.patch(api(`/admin/users/${id}`)).send({ role: 'admin' })],
      ['DELETE /admin/users/:id', () => t.http.delete(api(`/admin/users/${id}`))],
      ['POST /admin/users/:id/restore', () => t.http.post(api(`/admin/users/${id}/restore`))],
      [
        'GET /admin/audit/verify',
        () => t.http.get(api('/admin/audit/verify')).query({ organizationId: 'platform' }),
      ],
    ];

    it('a normal user gets 403 FORBIDDEN on every admin route, even for their own account', async () => {
      for (const id of [tagged[0].id, normal.id]) {
        for (const [label, send] of routes(id)) {
          const res = await send().set(normal.auth);
          expect({ label, status: res.status, code: res.body.code }).toEqual({
            label,
            status: 403,
            code: 'FORBIDDEN',
          });
        }
      }
      // nothing happened: no one was promoted or deleted
      const me = await t.http.get(api('/me')).set(normal.auth).expect(200);
      expect(me.body.role).toBe('user');
      const target = await t.http
        .get(api(`/admin/users/${tagged[0].id}`))
        .set(admin.auth)
        .expect(200);
      expect(target.body).toMatchObject({ role: 'user', isDeleted: false });
    });

    it('without a token the admin routes are 401', async () => {
      const res = await t.http.get(api('/admin/users')).expect(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });

    it('the admin from ADMIN_EMAILS has the admin role', async () => {
      const me = await t.http.get(api('/me')).set(admin.auth).expect(200);
      expect(me.body).toMatchObject({ email: 'admin@westwallet.test', role: 'admin' });
      await t.http
        .get(api('/admin/audit/verify'))
        .query({ organizationId: 'platform' })
        .set(admin.auth)
        .expect(200);
    });
  });

  describe('listing', () => {
    it('returns {items, nextCursor} with admin views (no secrets)', async () => {
      const page = await list({});
      expect(page.nextCursor).toBeNull();
      expect(page.items).toHaveLength(5);
      const byId = new Map(page.items.map((u) => [u.id, u]));
      expect(byId.get(normal.id)).toEqual({
        id: normal.id,
        email: normal.email,
        name: 'Vanlig Användare',
        role: 'user',
        emailVerified: true,
        defaultOrganizationId: normal.organizationId,
        createdAt: expect.any(String),
        isDeleted: false,
        deletedAt: null,
        deletedBy: null,
      });
      expect(byId.get(admin.id)?.role).toBe('admin');
      for (const item of page.items) {
        expect(item).not.toHaveProperty('passwordHash');
        expect(item).not.toHaveProperty('tokenVersion');
        expect(item).not.toHaveProperty('personalIdentityNumberEnc');
      }
    });

    it('walks every page with limit=2, newest first, without repeats', async () => {
      const all = await list({ limit: 100 });
      const seen: AdminUser[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: UserPage = await list(cursor ? { limit: 2, cursor } : { limit: 2 });
        expect(page.items.length).toBeLessThanOrEqual(2);
        expect(page.items.length).toBeGreaterThan(0);
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
        expect(pages).toBeLessThan(10);
      } while (cursor);
      expect(pages).toBe(3); // 5 users
      const ids = seen.map((u) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(all.items.map((u) => u.id));
      expect(ids).toEqual(expect.arrayContaining([admin.id, normal.id, ...tagged.map((u) => u.id)]));
      const times = seen.map((u) => Date.parse(u.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      // the tagged users were created last, one after another: the newest of them comes first
      expect(ids.slice(0, 3)).toEqual(tagged.map((u) => u.id).reverse());
    });

    it('filters by email substring (case-insensitive, regex characters taken literally)', async () => {
      const page = await list({ email: tag });
      expect(page.items.map((u) => u.id).sort()).toEqual(tagged.map((u) => u.id).sort());

      const upper = await list({ email: `${tag.toUpperCase()}-1` });
      expect(upper.items.map((u) => u.id)).toEqual([tagged[1].id]);

      const paged = await list({ email: tag, limit: 2 });
      expect(paged.items).toHaveLength(2);
      expect(paged.nextCursor).toEqual(expect.any(String));
      const rest = await list({ email: tag, limit: 2, cursor: paged.nextCursor! });
      expect(rest.items).toHaveLength(1);
      expect(rest.nextCursor).toBeNull();

      for (const literal of ['.*', '^', '(', `${tag}-.`]) {
        const none = await list({ email: literal });
        expect(none.items).toEqual([]);
      }
    });

    it('filters by role', async () => {
      const admins = await list({ role: 'admin' });
      expect(admins.items.map((u) => u.id)).toEqual([admin.id]);
      const users = await list({ role: 'user' });
      expect(users.items.map((u) => u.id).sort()).toEqual([normal.id, ...tagged.map((u) => u.id)].sort());
      const moderators = await list({ role: 'moderator' });
      expect(moderators.items).toEqual([]);
    });

    it('refuses bad query parameters with 400', async () => {
      for (const query of [
        { role: 'king' },
        { limit: 0 },
        { limit: 1000 },
        { deleted: 'maybe' },
        { sort: 'email' },
        { cursor: 'not-a-cursor' },
      ]) {
        const res = await t.http.get(api('/admin/users')).query(query).set(admin.auth);
        expect({ query, status: res.status, code: res.body.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    });
  });

  describe('one user', () => {
    it('GET /admin/users/:id returns the user', async () => {
      const res = await t.http
        .get(api(`/admin/users/${normal.id}`))
        .set(admin.auth)
        .expect(200);
      expect(res.body).toMatchObject({
        id: normal.id,
        email: normal.email,
        role: 'user',
        isDeleted: false,
        deletedBy: null,
      });
      expect(res.body).not.toHaveProperty('passwordHash');
    });

    it('an unknown id is 404 on every route', async () => {
      const id = missingId();
      const sends = [
        t.http.get(api(`/admin/users/${id}`)),
        t.http.patch(api(`/admin/users/${id}`)).send({ role: 'moderator' }),
        t.http.delete(api(`/admin/users/${id}`)),
        t.http.post(api(`/admin/users/${id}/restore`)),
      ];
      for (const send of sends) {
        const res = await send.set(admin.auth).expect(404);
        expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'user' } });
      }
    });

    it('an id of the wrong shape is 404 on every route', async () => {
      for (const id of ['nope', 'a000001', `${normal.id}0x`, '1']) {
        const sends = [
          t.http.get(api(`/admin/users/${id}`)),
          t.http.patch(api(`/admin/users/${id}`)).send({ role: 'moderator' }),
          t.http.delete(api(`/admin/users/${id}`)),
          t.http.post(api(`/admin/users/${id}/restore`)),
        ];
        for (const send of sends) {
          const res = await send.set(admin.auth);
          expect({ id, status: res.status }).toEqual({ id, status: 404 });
          expect(res.body.code).toMatch(/NOT_FOUND$/);
        }
      }
    });
  });

  describe('role changes', () => {
    it('PATCH role to moderator is reflected and audited with before/after', async () => {
      const target = tagged[2];
      const res = await t.http
        .patch(api(`/admin/users/${target.id}`))
        .set(admin.auth)
        .send({ role: 'moderator' })
        .expect(200);
      expect(res.body).toMatchObject({ id: target.id, role: 'moderator' });

      const got = await t.http
        .get(api(`/admin/users/${target.id}`))
        .set(admin.auth)
        .expect(200);
      expect(got.body.role).toBe('moderator');
      const me = await t.http.get(api('/me')).set(target.auth).expect(200);
      expect(me.body.role).toBe('moderator');
      expect((await list({ role: 'moderator' })).items.map((u) => u.id)).toEqual([target.id]);

      // Platform-level entries have no organization and so no GET /audit to read them: read what is stored.
      const entries = await t.db
        .collection('audit_entries')
        .find({ action: 'user.role_changed', targetId: target.id })
        .toArray();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actorId: admin.id,
        targetType: 'user',
        targetId: target.id,
        changes: { before: { role: 'user' }, after: { role: 'moderator' } },
      });
      const verify = await t.http
        .get(api('/admin/audit/verify'))
        .query({ organizationId: 'platform' })
        .set(admin.auth)
        .expect(200);
      expect(verify.body).toMatchObject({ organizationId: 'platform', valid: true });
      expect(verify.body.count).toBeGreaterThan(0);
    });

    it('a moderator is still refused admin routes', async () => {
      const res = await t.http.get(api('/admin/users')).set(tagged[2].auth).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('refuses an unknown role or an unknown field with 400', async () => {
      for (const body of [{ role: 'superuser' }, { role: 'admin', email: 'x@example.se' }, {}]) {
        const res = await t.http
          .patch(api(`/admin/users/${normal.id}`))
          .set(admin.auth)
          .send(body)
          .expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      const got = await t.http
        .get(api(`/admin/users/${normal.id}`))
        .set(admin.auth)
        .expect(200);
      expect(got.body.role).toBe('user');
    });

    it('an admin cannot change their own role nor delete themselves (409)', async () => {
      const role = await t.http
        .patch(api(`/admin/users/${admin.id}`))
        .set(admin.auth)
        .send({ role: 'user' })
        .expect(409);
      expect(role.body.code).toBe('CANNOT_CHANGE_OWN_ROLE');
      const del = await t.http
        .delete(api(`/admin/users/${admin.id}`))
        .set(admin.auth)
        .expect(409);
      expect(del.body.code).toBe('CANNOT_CHANGE_OWN_ROLE');
      const me = await t.http.get(api('/me')).set(admin.auth).expect(200);
      expect(me.body.role).toBe('admin');
    });
  });

  describe('soft delete and restore', () => {
    let victim: TestUser;
    beforeAll(() => {
      victim = tagged[0];
    });

    it('DELETE marks the user deleted (isDeleted, deletedAt, deletedBy = the admin) and keeps the record', async () => {
      const before = Date.now();
      const res = await t.http
        .delete(api(`/admin/users/${victim.id}`))
        .set(admin.auth)
        .expect(200);
      expect(res.body).toMatchObject({
        id: victim.id,
        email: victim.email,
        isDeleted: true,
        deletedBy: admin.id,
      });
      const deletedAt = Date.parse(res.body.deletedAt);
      expect(deletedAt).toBeGreaterThanOrEqual(before - 5_000);
      expect(deletedAt).toBeLessThanOrEqual(Date.now() + 5_000);

      const got = await t.http
        .get(api(`/admin/users/${victim.id}`))
        .set(admin.auth)
        .expect(200);
      expect(got.body).toMatchObject({
        id: victim.id,
        isDeleted: true,
        deletedBy: admin.id,
        deletedAt: res.body.deletedAt,
      });
    });

    it('the deleted user can no longer sign in (401 INVALID_CREDENTIALS) nor use their tokens', async () => {
      const res = await t.http
        .post(api('/auth/login'))
        .send({ email: victim.email, password: victim.password })
        .expect(401);
      expect(res.body.code).toBe('INVALID_CREDENTIALS');
      const me = await t.http.get(api('/me')).set(victim.auth).expect(401);
      expect(me.body.code).toBe('UNAUTHORIZED');
      const refresh = await t.http.post(api('/auth/refresh')).send({ refreshToken: victim.refreshToken });
      expect(refresh.status).toBe(401);
    });

    it('deleting twice is 404 (nothing left to delete)', async () => {
      const res = await t.http
        .delete(api(`/admin/users/${victim.id}`))
        .set(admin.auth)
        .expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'user' } });
    });

    it('the deleted=true/false filters separate deleted and live users', async () => {
      const deleted = await list({ deleted: 'true' });
      expect(deleted.items.map((u) => u.id)).toEqual([victim.id]);
      expect(deleted.items[0]).toMatchObject({ isDeleted: true, deletedBy: admin.id });

      const live = await list({ deleted: 'false' });
      expect(live.items.map((u) => u.id)).not.toContain(victim.id);
      expect(live.items).toHaveLength(4);
      for (const u of live.items) expect(u.isDeleted).toBe(false);

      const all = await list({});
      expect(all.items.map((u) => u.id)).toContain(victim.id);

      const combined = await list({ deleted: 'true', email: tag });
      expect(combined.items.map((u) => u.id)).toEqual([victim.id]);
      expect((await list({ deleted: 'true', role: 'admin' })).items).toEqual([]);
    });

    it('restore brings the user back and they can sign in again', async () => {
      const res = await t.http
        .post(api(`/admin/users/${victim.id}/restore`))
        .set(admin.auth)
        .expect(200);
      expect(res.body).toMatchObject({ id: victim.id, isDeleted: false, deletedAt: null, deletedBy: null });
      const tokens = await login(t, victim.email, victim.password);
      const me = await t.http.get(api('/me')).set(tokens.auth).expect(200);
      expect(me.body).toMatchObject({ id: victim.id, email: victim.email });
      expect((await list({ deleted: 'true' })).items).toEqual([]);
    });

    it('restoring a user who is not deleted is 404', async () => {
      const res = await t.http
        .post(api(`/admin/users/${normal.id}/restore`))
        .set(admin.auth)
        .expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'user' } });
    });

    it('deletion and restore are audited with the admin as actor', async () => {
      const actions = await t.db
        .collection('audit_entries')
        .find({ targetId: victim.id, action: { $in: ['user.deleted', 'user.restored'] } })
        .sort({ seq: 1 })
        .toArray();
      expect(actions.map((e) => [e.action, e.actorId])).toEqual([
        ['user.deleted', admin.id],
        ['user.restored', admin.id],
      ]);
    });
  });
});
