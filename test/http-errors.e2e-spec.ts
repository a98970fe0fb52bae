import { createHmac, randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { createAdmin, createUser, uniqueEmail, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

const api = (path: string): string => `/api/v1${path}`;
const ERROR_KEYS = ['statusCode', 'code', 'message', 'details', 'requestId'];

/**
 * The one error body: `{statusCode, code, message, details?, requestId}`, nothing else (no stack), the status in the
 * body equal to the HTTP status, and the request id equal to the X-Request-Id response header.
 */
function expectErrorBody(res: Response, status?: number, code?: string): void {
  const summary = { status: res.status, body: res.body as unknown };
  if (status !== undefined) expect(summary).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(summary).toMatchObject({
    body: {
      statusCode: res.status,
      code: code ?? expect.stringMatching(/^[A-Z][A-Z0-9_]+$/),
      message: expect.any(String),
      requestId: res.headers['x-request-id'],
    },
  });
  expect(typeof res.headers['x-request-id']).toBe('string');
  for (const key of Object.keys(res.body)) expect(ERROR_KEYS).toContain(key);
  expect(res.body).not.toHaveProperty('stack');
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

/** A compact HS256 JWT signed with `secret` (or unsigned with alg none). */
function jwt(payload: Record<string, unknown>, secret: string | null): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = b64({ alg: secret === null ? 'none' : 'HS256', typ: 'JWT' });
  const body = b64(payload);
  if (secret === null) return `${header}.${body}.`;
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

describe('HTTP errors and edges', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('bodies', () => {
    it('malformed JSON → 400 MALFORMED_JSON', async () => {
      for (const raw of ['{"email": "a@b.se", ', "{'email': 'x'}", '{"a":1}}', '']) {
        const res = await t.http.post(api('/auth/login')).set('Content-Type', 'application/json').send(raw);
        if (raw === '') {
          // an empty JSON body is no body at all: a validation error, never a 5xx
          expectErrorBody(res, 400);
        } else {
          expectErrorBody(res, 400, 'MALFORMED_JSON');
        }
      }
      const authed = await t.http
        .patch(api('/me'))
        .set(user.auth)
        .set('Content-Type', 'application/json')
        .send('{"name":');
      expectErrorBody(authed, 400, 'MALFORMED_JSON');
    });

    it('an unknown field → 400 VALIDATION_FAILED naming the field', async () => {
      const res = await t.http
        .post(api('/auth/register'))
        .send({ email: uniqueEmail(), password: 'long-enough-pw', name: 'X', isAdmin: true });
      expectErrorBody(res, 400, 'VALIDATION_FAILED');
      expect(res.body.message).toContain('isAdmin');

      const me = await t.http.patch(api('/me')).set(user.auth).send({ name: 'Ok Namn', role: 'admin' });
      expectErrorBody(me, 400, 'VALIDATION_FAILED');
      expect(me.body.message).toContain('role');
      const after = await t.http.get(api('/me')).set(user.auth).expect(200);
      expect(after.body.role).toBe('user');
      expect(after.body.name).not.toBe('Ok Namn');
    });

    it('a missing or wrongly typed field → 400 VALIDATION_FAILED with details', async () => {
      const res = await t.http.post(api('/auth/login')).send({ email: user.email });
      expectErrorBody(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'password' })]),
      );
    });
  });

  describe('with BODY_LIMIT=1kb', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await startTestApp({ BODY_LIMIT: '1kb' });
    });
    afterAll(async () => {
      await small.close();
    });

    it('a 2 KB body → 413 PAYLOAD_TOO_LARGE; a small one is read', async () => {
      const big = { email: uniqueEmail(), password: 'x'.repeat(2048) };
      expect(JSON.stringify(big).length).toBeGreaterThan(2000);
      const res = await small.http.post(api('/auth/login')).send(big);
      expectErrorBody(res, 413, 'PAYLOAD_TOO_LARGE');

      const form = await small.http
        .post(api('/auth/login'))
        .type('form')
        .send(`email=${encodeURIComponent(uniqueEmail())}&password=${'y'.repeat(2048)}`);
      expectErrorBody(form, 413, 'PAYLOAD_TOO_LARGE');

      const fine = await small.http
        .post(api('/auth/login'))
        .send({ email: uniqueEmail(), password: 'x'.repeat(100) });
      expectErrorBody(fine, 401, 'INVALID_CREDENTIALS');
    });
  });

  describe('routes and ids', () => {
    it('an unknown route → 404 NOT_FOUND', async () => {
      expectErrorBody(await t.http.get(api('/does-not-exist')), 404, 'NOT_FOUND');
      expectErrorBody(await t.http.post(api('/auth/does-not-exist')).send({}), 404, 'NOT_FOUND');
      expectErrorBody(await t.http.get('/not-under-the-prefix'), 404, 'NOT_FOUND');
      expectErrorBody(await t.http.delete(api('/me')).set(user.auth), 404, 'NOT_FOUND');
    });

    it('an id of the wrong shape → the same 404 body as a missing one', async () => {
      const missing = await t.http.get(api('/organizations/A999999')).set(user.auth);
      expectErrorBody(missing, 404);
      const { requestId: _r, ...missingBody } = missing.body;
      for (const id of ['xyz', 'A12', 'a000001', 'A0000001x', '%24gt', '..%2F..%2Fadmin']) {
        const res = await t.http.get(api(`/organizations/${id}`)).set(user.auth);
        expectErrorBody(res, 404);
        const { requestId: _id, ...body } = res.body;
        expect({ id, body }).toEqual({ id, body: missingBody });
      }
      // the user's own organization is found, so the 404s above are not the route failing
      await t.http
        .get(api(`/organizations/${user.organizationId}`))
        .set(user.auth)
        .expect(200);
    });

    it('admin routes: a malformed user id → 404 with the body shape of a missing user', async () => {
      const admin = await createAdmin(t);
      const missing = await t.http.get(api('/admin/users/A999999')).set(admin.auth);
      expectErrorBody(missing, 404);
      expect(missing.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'user' } });
      for (const id of ['xyz', 'A12', '1']) {
        const res = await t.http.get(api(`/admin/users/${id}`)).set(admin.auth);
        expectErrorBody(res, 404);
        // the same body as a missing user, apart from the request id
        const { requestId: _ignored, ...body } = res.body as Record<string, unknown>;
        const { requestId: _missing, ...missingBody } = missing.body as Record<string, unknown>;
        expect({ id, body }).toEqual({ id, body: missingBody });
      }
      await t.http
        .get(api(`/admin/users/${user.id}`))
        .set(admin.auth)
        .expect(200);
    });
  });

  describe('authentication', () => {
    it('no token → 401 UNAUTHORIZED', async () => {
      expectErrorBody(await t.http.get(api('/me')), 401, 'UNAUTHORIZED');
      expectErrorBody(await t.http.get(api('/organizations')), 401, 'UNAUTHORIZED');
      expectErrorBody(await t.http.patch(api('/me')).send({ name: 'X' }), 401, 'UNAUTHORIZED');
      expectErrorBody(await t.http.get(api('/admin/users')), 401, 'UNAUTHORIZED');
    });

    it('a garbage, forged, unsigned or expired bearer token → 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const secret = t.config.auth.jwtSecret;
      const tokens: Record<string, string> = {
        garbage: 'garbage',
        threeParts: 'a.b.c',
        empty: '',
        forged: jwt({ sub: user.id, tv: 0, iat: now, exp: now + 600 }, randomBytes(48).toString('base64url')),
        unsigned: jwt({ sub: user.id, tv: 0, iat: now, exp: now + 600 }, null),
        expired: jwt({ sub: user.id, tv: 0, iat: now - 7200, exp: now - 3600 }, secret),
        unknownUser: jwt({ sub: 'A999999', tv: 0, iat: now, exp: now + 600 }, secret),
        objectSub: jwt({ sub: { $gt: '' }, tv: 0, iat: now, exp: now + 600 }, secret),
      };
      for (const [kind, token] of Object.entries(tokens)) {
        const res = await t.http.get(api('/me')).set('Authorization', `Bearer ${token}`);
        expect({ kind, status: res.status, code: res.body.code }).toEqual({
          kind,
          status: 401,
          code: 'UNAUTHORIZED',
        });
        expectErrorBody(res, 401, 'UNAUTHORIZED');
      }
      const basic = await t.http
        .get(api('/me'))
        .set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`);
      expectErrorBody(basic, 401, 'UNAUTHORIZED');
      // control: a token signed with the real secret for the real user and version works
      await t.http
        .get(api('/me'))
        .set('Authorization', `Bearer ${jwt({ sub: user.id, tv: 0, iat: now, exp: now + 600 }, secret)}`)
        .expect(200);
    });
  });

  describe('request ids', () => {
    it("the client's X-Request-Id is echoed in the header and in the error body", async () => {
      const requestId = `client-${randomBytes(6).toString('hex')}`;
      const res = await t.http.get(api('/me')).set('X-Request-Id', requestId);
      expectErrorBody(res, 401, 'UNAUTHORIZED');
      expect(res.headers['x-request-id']).toBe(requestId);
      expect(res.body.requestId).toBe(requestId);

      const ok = await t.http.get(api('/me')).set(user.auth).set('X-Request-Id', requestId).expect(200);
      expect(ok.headers['x-request-id']).toBe(requestId);
    });

    it('without one, or with an unsafe one, the server makes its own', async () => {
      const none = await t.http.get(api('/me'));
      expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(none.body.requestId).toBe(none.headers['x-request-id']);
      const other = await t.http.get(api('/me'));
      expect(other.body.requestId).not.toBe(none.body.requestId);

      for (const unsafe of ['short', 'has spaces in it', '<script>alert(1)</script>', 'x'.repeat(500)]) {
        const res = await t.http.get(api('/me')).set('X-Request-Id', unsafe);
        expect(res.headers['x-request-id']).not.toBe(unsafe);
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.body.requestId).toBe(res.headers['x-request-id']);
      }
    });
  });

  describe('every error body has the common shape', () => {
    it('across filters, guards, pipes, parsers and services', async () => {
      const cases: Array<[string, () => Promise<Response>]> = [
        [
          'malformed json',
          () => t.http.post(api('/auth/login')).set('Content-Type', 'application/json').send('{'),
        ],
        ['validation', () => t.http.post(api('/auth/login')).send({})],
        ['unknown route', () => t.http.get(api('/nope'))],
        ['no token', () => t.http.get(api('/me'))],
        [
          'bad credentials',
          () => t.http.post(api('/auth/login')).send({ email: uniqueEmail(), password: 'wrong-password' }),
        ],
        ['bad token', () => t.http.post(api('/auth/verify-email')).send({ token: 'x'.repeat(40) })],
        [
          'email taken',
          () =>
            t.http
              .post(api('/auth/register'))
              .send({ email: user.email, password: 'long-enough-pw', name: 'X' }),
        ],
        ['not admin', () => t.http.get(api('/admin/users')).set(user.auth)],
        ['wrong org id', () => t.http.get(api('/organizations/xyz')).set(user.auth)],
        ['bad query', () => t.http.get(api('/audit')).query({ limit: 'many' }).set(user.auth)],
        ['bad refresh', () => t.http.post(api('/auth/refresh')).send({ refreshToken: 'nope.nope.nope' })],
      ];
      for (const [name, send] of cases) {
        const res = await send();
        expect({ name, clientError: res.status >= 400 && res.status < 500 }).toEqual({
          name,
          clientError: true,
        });
        expectErrorBody(res);
      }
    });
  });

  describe('odd inputs never yield a 5xx', () => {
    const json = (raw: string) => ({ raw });
    type Body = Record<string, unknown> | unknown[] | { raw: string };
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const pollution = [
      json('{"__proto__": {"role": "admin", "polluted": true}}'),
      json('{"constructor": {"prototype": {"polluted": true}}}'),
      json('{"name": "Proto", "__proto__": {"polluted": true}}'),
    ];
    const shared: Body[] = [
      [],
      [{}],
      json('null'),
      json('"a string"'),
      json('123'),
      json('true'),
      json(deep),
      json(`{"a": ${deep}}`),
      {},
      ...pollution,
    ];

    async function send(method: 'post' | 'patch', path: string, body: Body, auth?: Record<string, string>) {
      let req = t.http[method](api(path));
      if (auth) req = req.set(auth);
      return 'raw' in body && typeof body.raw === 'string'
        ? req.set('Content-Type', 'application/json').send(body.raw)
        : req.send(body);
    }

    function expectNo5xx(label: string, body: Body, res: Response): void {
      expect({
        label,
        input: JSON.stringify(body).slice(0, 120),
        status: res.status < 500 ? 'below 500' : res.status,
      }).toEqual({
        label,
        input: JSON.stringify(body).slice(0, 120),
        status: 'below 500',
      });
      if (res.status >= 400) expectErrorBody(res);
    }

    it('register', async () => {
      const huge = 'x'.repeat(100_000);
      const bodies: Body[] = [
        ...shared,
        { email: 123, password: 456, name: 789 },
        { email: true, password: null, name: [] },
        { email: { $gt: '' }, password: 'long-enough-pw', name: 'Injektion' },
        { email: uniqueEmail(), password: { $ne: null }, name: 'Injektion' },
        { email: `${huge}@example.se`, password: 'long-enough-pw', name: 'Huge' },
        { email: uniqueEmail(), password: huge, name: 'Huge' },
        { email: uniqueEmail(), password: 'long-enough-pw', name: huge },
        { email: 'åsa@exämple.se', password: 'long-enough-pw', name: 'Åsa' },
        { email: uniqueEmail('unicode'), password: 'lösenord-🔑-ÅÄÖ', name: 'Åsa Öberg 🦄 عربى 中文' },
        { email: uniqueEmail('nul'), password: 'long-enough-pw', name: 'Nul\u0000Byte' },
        { email: uniqueEmail('surrogate'), password: 'long-enough-pw', name: 'Lone \ud800 surrogate' },
        { email: uniqueEmail('rtl'), password: 'long-enough-pw', name: '\u202eevil\u202c' },
        { email: 'no-at-sign', password: 'long-enough-pw', name: 'X' },
        { email: ' spaced@example.se ', password: 'long-enough-pw', name: 'X' },
        { email: 'a@b', password: 'long-enough-pw', name: 'X' },
        json('{"email": "x@example.se", "email": {"$gt": ""}, "password": "long-enough-pw", "name": "Dup"}'),
        json(
          `{"email": "${uniqueEmail('proto')}", "password": "long-enough-pw", "name": "P", "__proto__": {"role": "admin"}}`,
        ),
      ];
      for (const body of bodies) expectNo5xx('register', body, await send('post', '/auth/register', body));
      const form = await t.http
        .post(api('/auth/register'))
        .type('form')
        .send('email[$gt]=&password=x&name=y');
      expectNo5xx('register form', { raw: 'email[$gt]=' }, form);
      const text = await t.http.post(api('/auth/register')).set('Content-Type', 'text/plain').send('hello');
      expectNo5xx('register text', { raw: 'hello' }, text);
    });

    it('login: operator objects are refused as input, never matched', async () => {
      const bodies: Body[] = [
        ...shared,
        { email: { $gt: '' }, password: { $gt: '' } },
        { email: { $ne: null }, password: 'whatever-1234' },
        { email: { $regex: '.*' }, password: user.password },
        { email: user.email, password: { $ne: null } },
        { email: [user.email], password: user.password },
        { email: 1, password: 2 },
        { email: user.email, password: 'x'.repeat(100_000) },
        { email: user.email, password: '' },
        { email: user.email, password: 'Nul\u0000Byte' },
        json(`{"email": "${user.email}", "password": "${user.password}", "__proto__": {"isAdmin": true}}`),
      ];
      for (const body of bodies) {
        const res = await send('post', '/auth/login', body);
        expectNo5xx('login', body, res);
        // none of these is a valid sign-in (the last one carries an unknown key)
        expect({ body: JSON.stringify(body).slice(0, 80), status: res.status }).not.toEqual({
          body: JSON.stringify(body).slice(0, 80),
          status: 200,
        });
      }
      const form = await t.http.post(api('/auth/login')).type('form').send(`email[$ne]=x&password[$ne]=x`);
      expectNo5xx('login form', { raw: 'email[$ne]' }, form);
      expect(form.status).not.toBe(200);
    });

    it('PATCH /me and /me/preferences', async () => {
      const bodies: Body[] = [
        ...shared,
        { name: { $gt: '' } },
        { name: 123 },
        { name: null },
        { name: ['a', 'b'] },
        { name: 'x'.repeat(100_000) },
        { name: 'Nul\u0000Byte' },
        { name: 'Lone \udc00 surrogate' },
        { name: 'Åsa Öberg 🦄 عربى 中文' },
        { personalIdentityNumber: { $ne: null } },
        { personalIdentityNumber: 811218 },
        { personalIdentityNumber: '1'.repeat(100_000) },
        { personalIdentityNumber: '８１１２１８-９８７６' },
        { $set: { role: 'admin' } },
        { 'preferences.ui.locale': 'en' },
      ];
      for (const body of bodies) expectNo5xx('PATCH /me', body, await send('patch', '/me', body, user.auth));

      const preferenceBodies: Body[] = [
        ...shared,
        { ui: null },
        { ui: [] },
        { ui: { locale: { $gt: '' } } },
        { notifications: { daysBefore: [1e308, -1, 1.5] } },
        { notifications: { channels: ['email', 'email'] } },
        { notifications: { channels: 'email' } },
        { trash: { retentionDays: '30' } },
        { $set: { 'ui.locale': 'en' } },
        json('{"ui": {"__proto__": {"polluted": true}}}'),
      ];
      for (const body of preferenceBodies) {
        expectNo5xx('PATCH /me/preferences', body, await send('patch', '/me/preferences', body, user.auth));
      }

      // nothing leaked into Object.prototype of this (in-process) server, and the user is still a plain user
      const probe = {} as Record<string, unknown>;
      expect(probe.polluted).toBeUndefined();
      expect(probe.role).toBeUndefined();
      expect(probe.isAdmin).toBeUndefined();
      const me = await t.http.get(api('/me')).set(user.auth).expect(200);
      expect(me.body.role).toBe('user');
      expect(me.body.preferences.ui.locale).toBe('sv');
      expect(Object.keys(me.body.preferences).sort()).toEqual(['notifications', 'trash', 'ui']);
    });
  });

  describe('health and docs', () => {
    it('GET /health → 200 {status: ok}', async () => {
      const res = await t.http.get('/health').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('GET /health/ready → 200 with mongodb and redis up', async () => {
      const res = await t.http.get('/health/ready').expect(200);
      expect(res.body).toEqual({ status: 'ok', mongodb: 'up', redis: 'up', workers: 'running' });
    });

    it('GET /docs-json lists the routes and describes the register body', async () => {
      const res = await t.http.get('/docs-json').expect(200);
      const doc = res.body as {
        paths: Record<
          string,
          Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>
        >;
        components?: {
          schemas?: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
        };
      };
      const paths = Object.keys(doc.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/register',
          '/api/v1/auth/verify-email',
          '/api/v1/auth/resend-verification',
          '/api/v1/auth/login',
          '/api/v1/auth/refresh',
          '/api/v1/auth/logout',
          '/api/v1/auth/forgot-password',
          '/api/v1/auth/reset-password',
          '/api/v1/me',
          '/api/v1/me/preferences',
          '/api/v1/me/password',
          '/api/v1/organizations',
          '/api/v1/organizations/{id}',
          '/api/v1/admin/users',
          '/api/v1/admin/users/{id}',
          '/api/v1/audit',
        ]),
      );

      const content = doc.paths['/api/v1/auth/register'].post?.requestBody?.content?.['application/json'];
      expect(content?.schema).toBeDefined();
      const ref = content?.schema?.$ref;
      const schema = ref
        ? doc.components?.schemas?.[ref.replace('#/components/schemas/', '')]
        : (content?.schema as { properties?: Record<string, unknown>; required?: string[] });
      expect(schema?.properties).toEqual(
        expect.objectContaining({
          email: expect.objectContaining({ type: 'string' }),
          password: expect.objectContaining({ type: 'string', minLength: 10, maxLength: 256 }),
          name: expect.objectContaining({ type: 'string' }),
        }),
      );
      expect(schema?.required).toEqual(expect.arrayContaining(['email', 'password', 'name']));
      expect(doc.paths['/api/v1/me'].patch?.requestBody).toBeDefined();
      expect(doc.paths['/api/v1/me/preferences'].patch?.requestBody).toBeDefined();
    });
  });
});
