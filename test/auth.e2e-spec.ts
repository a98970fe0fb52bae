import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { createAdmin, createUser, login, uniqueEmail, type TestUser } from './helpers/factories';
import { MailCatcher, type CaughtMail } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';

const api = (path: string): string => `/api/v1${path}`;
const newPassword = (): string => `pw-${randomBytes(8).toString('hex')}`;
const bearer = (accessToken: string): Record<string, string> => ({ Authorization: `Bearer ${accessToken}` });

/** Status, code and the common error body shape, in one assertion so a failure prints the whole answer. */
function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: { statusCode: status, code, message: expect.any(String), requestId: expect.any(String) },
  });
  expect(res.body).not.toHaveProperty('stack');
}

function expectStatus(res: Response, status: number): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The stored user document, read directly only to check what is at rest. */
interface RawUser {
  _id: string;
  personalIdentityNumberEnc?: string | null;
}

const withoutRequestId = (body: Record<string, unknown>) => {
  const { requestId: _requestId, ...rest } = body;
  return rest;
};

describe('auth and /me', () => {
  let t: TestApp;
  /** A verified user for tests that neither change its password nor delete it. */
  let shared: TestUser;
  let admin: TestUser | undefined;
  const getAdmin = async (): Promise<TestUser> => (admin ??= await createAdmin(t));

  beforeAll(async () => {
    t = await startTestApp();
    shared = await createUser(t, { name: 'Delad Användare' });
  });
  afterAll(async () => {
    await t.close();
  });

  const mailsTo = (email: string): CaughtMail[] => t.mail.messages.filter((m) => m.to.includes(email));

  /** Registers without verifying; returns the response and the token from the verification mail. */
  async function register(label = 'reg', password = newPassword()) {
    const email = uniqueEmail(label);
    const name = 'Sven Svensson';
    const res = await t.http.post(api('/auth/register')).send({ email, password, name });
    expectStatus(res, 201);
    const mail = await t.mail.waitFor(email, /Bekräfta/);
    return { email, password, name, res, mail, token: MailCatcher.token(mail) };
  }

  const postLogin = (email: string, password: string) =>
    t.http.post(api('/auth/login')).send({ email, password });
  const postRefresh = (refreshToken: string) => t.http.post(api('/auth/refresh')).send({ refreshToken });

  describe('registration and verification', () => {
    it('register → 201 with the user and no tokens, a household, and a Swedish verification mail with the token', async () => {
      const { email, password, name, res, mail, token } = await register('signup');
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^A\d{6,}$/),
        email,
        name,
        role: 'user',
        emailVerified: false,
        defaultOrganizationId: expect.stringMatching(/^A\d{6,}$/),
      });
      for (const secret of ['accessToken', 'refreshToken', 'passwordHash', 'password', 'tokenVersion']) {
        expect(res.body).not.toHaveProperty(secret);
      }
      expect(JSON.stringify(res.body)).not.toContain(password);

      expect(mail.subject).toBe('Bekräfta din e-postadress för WestWallet');
      expect(mail.text).toContain(`Hej ${name}!`);
      expect(mail.text).toContain(`Kod: ${token}`);
      expect(mail.text).toContain(`verify-email?token=${token}`);
      expect(token.length).toBeGreaterThanOrEqual(20);

      // the household exists and the new user owns it
      await t.http.post(api('/auth/verify-email')).send({ token, password }).expect(200);
      const { auth } = await login(t, email, password);
      const orgs = await t.http.get(api('/organizations')).set(auth).expect(200);
      expect(orgs.body).toEqual([
        expect.objectContaining({ id: res.body.defaultOrganizationId, type: 'household', role: 'owner' }),
      ]);
    });

    it('register with an email already taken → 409 EMAIL_TAKEN (also in other letter case)', async () => {
      const again = await t.http
        .post(api('/auth/register'))
        .send({ email: shared.email, password: newPassword(), name: 'Dubbel' });
      expectError(again, 409, 'EMAIL_TAKEN');
      const upper = await t.http
        .post(api('/auth/register'))
        .send({ email: shared.email.toUpperCase(), password: newPassword(), name: 'Dubbel' });
      expectError(upper, 409, 'EMAIL_TAKEN');
    });

    it('password policy: 9 characters → 400, 257 → 400, 256 → 201', async () => {
      const attempt = (password: string) =>
        t.http.post(api('/auth/register')).send({ email: uniqueEmail('policy'), password, name: 'Policy' });
      const short = await attempt('a'.repeat(9));
      expectError(short, 400, 'VALIDATION_FAILED');
      expect(short.body.message).toMatch(/password/);
      const long = await attempt('b'.repeat(257));
      expectError(long, 400, 'VALIDATION_FAILED');
      expect(long.body.message).toMatch(/password/);

      const email = uniqueEmail('policy256');
      const password = `${'c'.repeat(255)}X`;
      await t.http.post(api('/auth/register')).send({ email, password, name: 'Lång' }).expect(201);
      const mail = await t.mail.waitFor(email, /Bekräfta/);
      await t.http
        .post(api('/auth/verify-email'))
        .send({ token: MailCatcher.token(mail), password })
        .expect(200);
      expectStatus(await postLogin(email, password), 200);
      // every character counts (no cut at bcrypt's 72 bytes)
      expectError(await postLogin(email, `${'c'.repeat(255)}Y`), 401, 'INVALID_CREDENTIALS');
    });

    it('login before verification with the right password → 403 EMAIL_NOT_VERIFIED (a wrong one stays 401)', async () => {
      const { email, password } = await register('unverified');
      expectError(await postLogin(email, password), 403, 'EMAIL_NOT_VERIFIED');
      expectError(await postLogin(email, `${password}-wrong`), 401, 'INVALID_CREDENTIALS');
    });

    it('verify-email with the token → 200; the same token again → 400 INVALID_TOKEN', async () => {
      const { email, password, token } = await register('verify');
      await t.http.post(api('/auth/verify-email')).send({ token, password }).expect(200);
      expectError(
        await t.http.post(api('/auth/verify-email')).send({ token, password }),
        400,
        'INVALID_TOKEN',
      );
      expectError(
        await t.http.post(api('/auth/verify-email')).send({ token: `${token}x`, password }),
        400,
        'INVALID_TOKEN',
      );
      const me = await t.http
        .get(api('/me'))
        .set((await login(t, email, password)).auth)
        .expect(200);
      expect(me.body.emailVerified).toBe(true);
    });

    it('resend-verification → 202 for a known and an unknown email alike; only the known one gets a mail', async () => {
      const { email, password } = await register('resend');
      const unknown = uniqueEmail('nobody');
      const known = await t.http.post(api('/auth/resend-verification')).send({ email });
      const missing = await t.http.post(api('/auth/resend-verification')).send({ email: unknown });
      expectStatus(known, 202);
      expectStatus(missing, 202);
      expect(missing.body).toEqual(known.body);

      const deadline = Date.now() + 15_000;
      while (mailsTo(email).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const mails = mailsTo(email);
      expect(mails).toHaveLength(2);
      expect(mailsTo(unknown)).toHaveLength(0);

      // the resent token works
      const token = MailCatcher.token(mails[1]);
      await t.http.post(api('/auth/verify-email')).send({ token, password }).expect(200);
      expectStatus(await postLogin(email, password), 200);
    });

    it('an ADMIN_EMAILS address becomes a platform admin when verified', async () => {
      const email = t.config.auth.adminEmails[0];
      const password = newPassword();
      const registered = await t.http
        .post(api('/auth/register'))
        .send({ email, password, name: 'Admin Adminsson' })
        .expect(201);
      expect(registered.body.role).toBe('user');
      const mail = await t.mail.waitFor(email, /Bekräfta/);
      await t.http
        .post(api('/auth/verify-email'))
        .send({ token: MailCatcher.token(mail), password })
        .expect(200);
      const tokens = await login(t, email, password);
      admin = {
        id: registered.body.id,
        email,
        password,
        name: 'Admin Adminsson',
        organizationId: registered.body.defaultOrganizationId,
        ...tokens,
      };

      const me = await t.http.get(api('/me')).set(admin.auth).expect(200);
      expect(me.body.role).toBe('admin');
      await t.http.get(api('/admin/users')).set(admin.auth).expect(200);
      expectError(await t.http.get(api('/admin/users')).set(shared.auth), 403, 'FORBIDDEN');
    });
  });

  describe('login', () => {
    it('wrong password and unknown email → the same 401 INVALID_CREDENTIALS body, in about the same time', async () => {
      const wrong = () => postLogin(shared.email, 'not-the-password-1');
      const unknown = () => postLogin(uniqueEmail('ghost'), 'not-the-password-1');
      // warm up both paths once
      await wrong();
      await unknown();

      const wrongMs: number[] = [];
      const unknownMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        let start = performance.now();
        const a = await wrong();
        wrongMs.push(performance.now() - start);
        start = performance.now();
        const b = await unknown();
        unknownMs.push(performance.now() - start);

        expectError(a, 401, 'INVALID_CREDENTIALS');
        expectError(b, 401, 'INVALID_CREDENTIALS');
        expect(withoutRequestId(b.body)).toEqual(withoutRequestId(a.body));
        expect(a.body.requestId).not.toBe(b.body.requestId);
      }
      // bcrypt runs for an unknown email too (against a dummy hash), so it is not markedly faster
      expect(median(unknownMs)).toBeGreaterThanOrEqual(0.5 * median(wrongMs));
    });

    it('login → {accessToken, refreshToken, tokenType: Bearer, expiresIn: 900}; the access token works', async () => {
      const res = await postLogin(shared.email, shared.password);
      expectStatus(res, 200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(res.body.accessToken.split('.')).toHaveLength(3);
      const me = await t.http.get(api('/me')).set(bearer(res.body.accessToken)).expect(200);
      expect(me.body.id).toBe(shared.id);
    });

    it('login accepts the email in any letter case', async () => {
      expectStatus(await postLogin(shared.email.toUpperCase(), shared.password), 200);
    });
  });

  describe('refresh tokens', () => {
    it('refresh rotates; reusing the old token → 401 REFRESH_TOKEN_REUSED and revokes the family, not other sessions', async () => {
      const sessionA = await login(t, shared.email, shared.password);
      const sessionB = await login(t, shared.email, shared.password);

      const rotated = await postRefresh(sessionA.refreshToken);
      expectStatus(rotated, 200);
      expect(rotated.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(rotated.body.refreshToken).not.toBe(sessionA.refreshToken);
      await t.http.get(api('/me')).set(bearer(rotated.body.accessToken)).expect(200);

      expectError(await postRefresh(sessionA.refreshToken), 401, 'REFRESH_TOKEN_REUSED');
      // the whole family is gone: the token it had handed out no longer works either
      const familyMember = await postRefresh(rotated.body.refreshToken);
      expect(familyMember.status).toBe(401);
      expect(['INVALID_REFRESH_TOKEN', 'REFRESH_TOKEN_REUSED']).toContain(familyMember.body.code);

      // another sign-in of the same user is untouched
      const other = await postRefresh(sessionB.refreshToken);
      expectStatus(other, 200);
      expectStatus(await postRefresh(other.body.refreshToken), 200);
    });

    it('two concurrent refreshes with the same token → exactly one 200', async () => {
      const session = await login(t, shared.email, shared.password);
      const results = await Promise.all([
        postRefresh(session.refreshToken),
        postRefresh(session.refreshToken),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 401]);
    });

    it('a malformed or forged refresh token → 401', async () => {
      expectError(await postRefresh('not-a-refresh-token'), 401, 'INVALID_REFRESH_TOKEN');
      const [id] = shared.refreshToken.split('.');
      expectError(
        await postRefresh(`${id}.${randomBytes(32).toString('base64url')}`),
        401,
        'INVALID_REFRESH_TOKEN',
      );
    });

    it('logout → 204 and that refresh token no longer works', async () => {
      const session = await login(t, shared.email, shared.password);
      const res = await t.http.post(api('/auth/logout')).send({ refreshToken: session.refreshToken });
      expectStatus(res, 204);
      expect(res.text).toBe('');
      const after = await postRefresh(session.refreshToken);
      expect(after.status).toBe(401);
      expect(['INVALID_REFRESH_TOKEN', 'REFRESH_TOKEN_REUSED']).toContain(after.body.code);
    });
  });

  describe('passwords', () => {
    it('forgot-password → 202 for an unknown email with no mail; for a known one a mail with a token', async () => {
      const user = await createUser(t, { name: 'Glömsk Person' });
      const unknown = uniqueEmail('nobody');
      const none = await t.http.post(api('/auth/forgot-password')).send({ email: unknown });
      const known = await t.http.post(api('/auth/forgot-password')).send({ email: user.email });
      expectStatus(none, 202);
      expectStatus(known, 202);
      expect(none.body).toEqual(known.body);

      const mail = await t.mail.waitFor(user.email, /Återställ/);
      expect(mail.subject).toBe('Återställ ditt lösenord för WestWallet');
      expect(mail.text).toContain('Hej Glömsk Person!');
      const token = MailCatcher.token(mail);
      expect(mail.text).toContain(`reset-password?token=${token}`);
      // the known address's mail came through the queue; the unknown one got nothing
      await new Promise((r) => setTimeout(r, 300));
      expect(mailsTo(unknown)).toHaveLength(0);
    });

    it('reset-password → 200: old password fails, new works, old refresh and access tokens are dead', async () => {
      const user = await createUser(t);
      const otherSession = await login(t, user.email, user.password);
      await t.http.post(api('/auth/forgot-password')).send({ email: user.email }).expect(202);
      const token = MailCatcher.token(await t.mail.waitFor(user.email, /Återställ/));
      const password = newPassword();
      expectStatus(await t.http.post(api('/auth/reset-password')).send({ token, password }), 200);

      expectError(await postLogin(user.email, user.password), 401, 'INVALID_CREDENTIALS');
      expectStatus(await postLogin(user.email, password), 200);
      for (const refreshToken of [user.refreshToken, otherSession.refreshToken]) {
        expect((await postRefresh(refreshToken)).status).toBe(401);
      }
      for (const auth of [user.auth, otherSession.auth]) {
        expectError(await t.http.get(api('/me')).set(auth), 401, 'UNAUTHORIZED');
      }
    });

    it('a reset token works once; a reset password must follow the policy', async () => {
      const user = await createUser(t);
      await t.http.post(api('/auth/forgot-password')).send({ email: user.email }).expect(202);
      const token = MailCatcher.token(await t.mail.waitFor(user.email, /Återställ/));
      expectError(
        await t.http.post(api('/auth/reset-password')).send({ token, password: 'short' }),
        400,
        'VALIDATION_FAILED',
      );
      const first = newPassword();
      await t.http.post(api('/auth/reset-password')).send({ token, password: first }).expect(200);
      const second = newPassword();
      expectError(
        await t.http.post(api('/auth/reset-password')).send({ token, password: second }),
        400,
        'INVALID_TOKEN',
      );
      expectError(await postLogin(user.email, second), 401, 'INVALID_CREDENTIALS');
      expectStatus(await postLogin(user.email, first), 200);
    });

    it('a verification token is not a reset token', async () => {
      const { token } = await register('crossed');
      expectError(
        await t.http.post(api('/auth/reset-password')).send({ token, password: newPassword() }),
        400,
        'INVALID_TOKEN',
      );
    });

    it('POST /me/password: wrong current → 403 INVALID_CURRENT_PASSWORD; right → 200 with a new pair, old access refused', async () => {
      const user = await createUser(t);
      const password = newPassword();
      const wrong = await t.http
        .post(api('/me/password'))
        .set(user.auth)
        .send({ currentPassword: `${user.password}-nope`, newPassword: password });
      expectError(wrong, 403, 'INVALID_CURRENT_PASSWORD');
      // nothing changed
      await t.http.get(api('/me')).set(user.auth).expect(200);

      const ok = await t.http
        .post(api('/me/password'))
        .set(user.auth)
        .send({ currentPassword: user.password, newPassword: password });
      expectStatus(ok, 200);
      expect(ok.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });

      expectError(await t.http.get(api('/me')).set(user.auth), 401, 'UNAUTHORIZED');
      await t.http.get(api('/me')).set(bearer(ok.body.accessToken)).expect(200);
      expect((await postRefresh(user.refreshToken)).status).toBe(401);
      expectStatus(await postRefresh(ok.body.refreshToken), 200);
      expectError(await postLogin(user.email, user.password), 401, 'INVALID_CREDENTIALS');
      expectStatus(await postLogin(user.email, password), 200);
    });

    it('POST /me/password without a token → 401', async () => {
      const res = await t.http
        .post(api('/me/password'))
        .send({ currentPassword: 'whatever-1234', newPassword: newPassword() });
      expectError(res, 401, 'UNAUTHORIZED');
    });
  });

  describe('/me', () => {
    it('GET /me has the documented shape and no secrets', async () => {
      const res = await t.http.get(api('/me')).set(shared.auth);
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        id: shared.id,
        email: shared.email,
        name: expect.any(String),
        role: 'user',
        emailVerified: true,
        preferences: {
          notifications: { channels: expect.any(Array), daysBefore: expect.any(Array) },
          ui: { locale: expect.any(String), theme: expect.any(String), dateFormat: expect.any(String) },
          trash: { retentionDays: expect.any(Number) },
        },
        defaultOrganizationId: shared.organizationId,
      });
      expect(res.body.organizations).toEqual([
        { id: shared.organizationId, name: expect.any(String), type: 'household', role: 'owner' },
      ]);
      for (const secret of [
        'passwordHash',
        'tokenVersion',
        'personalIdentityNumberEnc',
        '_id',
        'isDeleted',
      ]) {
        expect(res.body).not.toHaveProperty(secret);
      }
    });

    it('a new user gets the Swedish defaults', async () => {
      const user = await createUser(t);
      const res = await t.http.get(api('/me')).set(user.auth).expect(200);
      expect(res.body.preferences).toEqual({
        notifications: { channels: ['email'], daysBefore: [7, 1] },
        ui: { locale: 'sv', theme: 'system', dateFormat: 'YYYY-MM-DD' },
        trash: { retentionDays: 30 },
      });
    });

    it('PATCH /me {name} changes the name', async () => {
      const res = await t.http.patch(api('/me')).set(shared.auth).send({ name: '  Nytt Namn  ' });
      expectStatus(res, 200);
      expect(res.body.name).toBe('Nytt Namn');
      const me = await t.http.get(api('/me')).set(shared.auth).expect(200);
      expect(me.body.name).toBe('Nytt Namn');
      expectError(
        await t.http.patch(api('/me')).set(shared.auth).send({ name: '' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await t.http.patch(api('/me')).set(shared.auth).send({}), 400, 'VALIDATION_FAILED');
    });

    it('PATCH /me personalIdentityNumber → normalized in the answer, encrypted at rest', async () => {
      const user = await createUser(t);
      const res = await t.http
        .patch(api('/me'))
        .set(user.auth)
        .send({ personalIdentityNumber: '811218-9876' });
      expectStatus(res, 200);
      expect(res.body.personalIdentityNumber).toBe('198112189876');
      const me = await t.http.get(api('/me')).set(user.auth).expect(200);
      expect(me.body.personalIdentityNumber).toBe('198112189876');

      const raw = await t.db.collection<RawUser>('users').findOne({ _id: user.id });
      const stored = raw?.personalIdentityNumberEnc;
      expect(typeof stored).toBe('string');
      expect(stored).toMatch(/^v1:/);
      expect(stored).not.toContain('8112189876');
      expect(stored).not.toContain('811218');
      expect(JSON.stringify(raw)).not.toContain('8112189876');

      // null removes it
      const cleared = await t.http.patch(api('/me')).set(user.auth).send({ personalIdentityNumber: null });
      expectStatus(cleared, 200);
      expect(cleared.body.personalIdentityNumber).toBeNull();
      const rawCleared = await t.db.collection<RawUser>('users').findOne({ _id: user.id });
      expect(rawCleared?.personalIdentityNumberEnc).toBeNull();
    });

    it('PATCH /me with an invalid personnummer → 400', async () => {
      for (const personalIdentityNumber of ['811218-9875', '811318-9876', '12345', 'abcdef-ghij']) {
        const res = await t.http.patch(api('/me')).set(shared.auth).send({ personalIdentityNumber });
        expect({ input: personalIdentityNumber, status: res.status }).toEqual({
          input: personalIdentityNumber,
          status: 400,
        });
        expect(['INVALID_PERSONAL_IDENTITY_NUMBER', 'VALIDATION_FAILED']).toContain(res.body.code);
      }
      expectError(
        await t.http.patch(api('/me')).set(shared.auth).send({ personalIdentityNumber: '811218-9875' }),
        400,
        'INVALID_PERSONAL_IDENTITY_NUMBER',
      );
    });

    it('PATCH /me/preferences merges a partial update; unknown key → 400 naming it; bad locale → 400', async () => {
      const user = await createUser(t);
      const first = await t.http
        .patch(api('/me/preferences'))
        .set(user.auth)
        .send({ ui: { theme: 'dark' } });
      expectStatus(first, 200);
      expect(first.body).toEqual({
        notifications: { channels: ['email'], daysBefore: [7, 1] },
        ui: { locale: 'sv', theme: 'dark', dateFormat: 'YYYY-MM-DD' },
        trash: { retentionDays: 30 },
      });
      const second = await t.http
        .patch(api('/me/preferences'))
        .set(user.auth)
        .send({ notifications: { daysBefore: [14] }, trash: { retentionDays: 90 } });
      expectStatus(second, 200);
      const expected = {
        notifications: { channels: ['email'], daysBefore: [14] },
        ui: { locale: 'sv', theme: 'dark', dateFormat: 'YYYY-MM-DD' },
        trash: { retentionDays: 90 },
      };
      expect(second.body).toEqual(expected);
      expect((await t.http.get(api('/me')).set(user.auth).expect(200)).body.preferences).toEqual(expected);

      const unknownNested = await t.http
        .patch(api('/me/preferences'))
        .set(user.auth)
        .send({ ui: { colour: 'red' } });
      expectError(unknownNested, 400, 'VALIDATION_FAILED');
      expect(unknownNested.body.message).toContain('colour');
      const unknownTop = await t.http.patch(api('/me/preferences')).set(user.auth).send({ sounds: true });
      expectError(unknownTop, 400, 'VALIDATION_FAILED');
      expect(unknownTop.body.message).toContain('sounds');
      expectError(
        await t.http
          .patch(api('/me/preferences'))
          .set(user.auth)
          .send({ ui: { locale: 'de' } }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.http
          .patch(api('/me/preferences'))
          .set(user.auth)
          .send({ trash: { retentionDays: 0 } }),
        400,
        'VALIDATION_FAILED',
      );
      // nothing of the refused patches was stored
      expect((await t.http.get(api('/me')).set(user.auth).expect(200)).body.preferences).toEqual(expected);
    });

    it('mails follow the ui locale: English after switching to en', async () => {
      const user = await createUser(t, { name: 'Eng Lish' });
      await t.http
        .patch(api('/me/preferences'))
        .set(user.auth)
        .send({ ui: { locale: 'en' } })
        .expect(200);
      await t.http.post(api('/auth/forgot-password')).send({ email: user.email }).expect(202);
      const mail = await t.mail.waitFor(user.email, /Reset/);
      expect(mail.subject).toBe('Reset your WestWallet password');
      expect(mail.text).toContain('Hi Eng Lish!');
      expect(mail.text).toMatch(/^Code: \S+$/m);
    });
  });

  describe('soft-deleted users and the audit trail', () => {
    it('a soft-deleted user cannot sign in (401) and their tokens stop working', async () => {
      const victim = await createUser(t);
      const adminUser = await getAdmin();
      const deleted = await t.http.delete(api(`/admin/users/${victim.id}`)).set(adminUser.auth);
      expectStatus(deleted, 200);
      expect(deleted.body).toMatchObject({ id: victim.id, isDeleted: true, deletedBy: adminUser.id });

      const failed = await postLogin(victim.email, victim.password);
      expectError(failed, 401, 'INVALID_CREDENTIALS');
      expectError(await t.http.get(api('/me')).set(victim.auth), 401, 'UNAUTHORIZED');
      expect((await postRefresh(victim.refreshToken)).status).toBe(401);
    });

    it('sign-ins are security events of the user (GET /me/security-events), not entries of the household audit log', async () => {
      const user = await createUser(t);
      await postLogin(user.email, 'definitely-wrong-1').expect(401);

      const events = await t.http.get(api('/me/security-events')).set(user.auth);
      expectStatus(events, 200);
      const types = (events.body.items as { type: string }[]).map((e) => e.type);
      expect(types.slice(0, 2)).toEqual(['login_failed', 'login']);
      expect(JSON.stringify(events.body)).not.toContain('definitely-wrong-1');

      const audit = await t.http.get(api('/audit')).query({ limit: 100 }).set(user.auth);
      expectStatus(audit, 200);
      expect((audit.body.items as { action: string }[]).filter((e) => e.action.startsWith('auth.'))).toEqual(
        [],
      );
    });
  });
});
