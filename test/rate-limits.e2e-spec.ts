import Redis from 'ioredis';
import type { Response } from 'supertest';
import { activatePro } from './helpers/billing';
import { createUser, uniqueEmail, type TestUser } from './helpers/factories';
import { minimalPdf } from './helpers/upload-fixtures';
import { postUpload } from './helpers/uploads-api';
import { startTestApp, type TestApp } from './helpers/test-app';

const USER_WRITES_PER_MIN = 5;
const USER_UPLOADS_PER_MIN = 6;
const USER_PER_MIN = 8;
const AUTH_IP_PER_MIN = 6;
const LOGIN_FAILURES_BEFORE_LOCK = 3;

/** 429 in the common error shape, with a whole number of seconds in `Retry-After` (at most the 1-minute window). */
function expectRateLimited(res: Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', requestId: expect.any(String) });
  const retryAfter = res.headers['retry-after'];
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
}

async function redisKeys(t: TestApp): Promise<string[]> {
  const redis = new Redis(t.config.redis.url);
  try {
    return await redis.keys(`${t.config.redis.prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

async function deleteRedisKeys(t: TestApp, keys: string[]): Promise<void> {
  if (!keys.length) return;
  const redis = new Redis(t.config.redis.url);
  try {
    await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Throttler counters carry a hash tag (`<prefix>:{name:tracker:name}:hits`); BullMQ's keys do not. */
const isThrottleKey = (t: TestApp, key: string) => key.startsWith(`${t.config.redis.prefix}:{`);

describe('rate limits per user (Redis, shared by all instances)', () => {
  let t: TestApp;
  let t2: TestApp | undefined;
  let writer: TestUser;
  let reader: TestUser;
  let bystander: TestUser;
  let redisUser: TestUser;
  let shared: TestUser;
  let prober: TestUser;
  let uploader: TestUser;
  let asker: TestUser;

  const patchMe = (app: TestApp, user: TestUser, name: string) =>
    app.http.patch('/api/v1/me').set(user.auth).send({ name });
  const getMe = (app: TestApp, user: TestUser) => app.http.get('/api/v1/me').set(user.auth);

  beforeAll(async () => {
    // Auth limits stay generous here: createUser itself goes through the auth routes.
    t = await startTestApp({
      RATE_LIMIT_USER_WRITES_PER_MIN: String(USER_WRITES_PER_MIN),
      RATE_LIMIT_USER_PER_MIN: String(USER_PER_MIN),
      RATE_LIMIT_USER_UPLOADS_PER_MIN: String(USER_UPLOADS_PER_MIN),
    });
    [writer, reader, bystander, redisUser, shared, prober, uploader, asker] = await Promise.all([
      createUser(t),
      createUser(t),
      createUser(t),
      createUser(t),
      createUser(t),
      createUser(t),
      createUser(t),
      createUser(t),
    ]);
    // files are a Pro feature
    await activatePro(t, uploader.organizationId);
  });
  afterAll(async () => {
    // The second instance shares the first one's database and prefix: close it without dropping them.
    if (t2) {
      await t2.app.close();
      await t2.mail.stop();
    }
    await t.close();
  });

  it('refuses writes beyond the per-user write limit with 429 and Retry-After; the refused write is not done', async () => {
    for (let i = 1; i <= USER_WRITES_PER_MIN; i++) {
      await patchMe(t, writer, `Writer ${i}`).expect(200);
    }
    expectRateLimited(await patchMe(t, writer, 'Writer too many'));
    // Writes have their own, lower limit: reading still works (6 requests < 8).
    const me = await getMe(t, writer).expect(200);
    expect(me.body.name).toBe(`Writer ${USER_WRITES_PER_MIN}`);
    // Limits are per user: someone else writes as usual.
    await patchMe(t, bystander, 'Bystander').expect(200);
  });

  it('file uploads have their own limit: more uploads than writes, and they leave the write limit alone', async () => {
    // 6 uploads > the 5 writes a minute; then a write still passes; the 7th upload is refused.
    for (let i = 1; i <= USER_UPLOADS_PER_MIN; i++)
      await postUpload(t, uploader, minimalPdf(), `kvitto-${i}.pdf`);
    await patchMe(t, uploader, 'Uploader').expect(200);
    expectRateLimited(await postUpload(t, uploader, minimalPdf(), 'kvitto-7.pdf', { expect: 429 }));
    // (the 8 requests a minute are used up: count in the database)
    const stored = await t.db
      .collection('uploads')
      .countDocuments({ organizationId: uploader.organizationId });
    expect(stored).toBe(USER_UPLOADS_PER_MIN);
  });

  it('a POST that only asks (AI categorization) is a read: it leaves the write limit alone', async () => {
    const ask = () =>
      t.http
        .post('/api/v1/ai/categorize')
        .set(asker.auth)
        .send({ text: 'ICA NARA STHLM 4432', amount: 12_500, direction: 'expense' });
    for (let i = 1; i <= USER_WRITES_PER_MIN + 1; i++) await ask().expect(200);
    await patchMe(t, asker, 'Asker').expect(200);
  });

  it('counts reads towards the per-user request limit', async () => {
    for (let i = 1; i <= USER_PER_MIN; i++) {
      await getMe(t, reader).expect(200);
    }
    expectRateLimited(await getMe(t, reader));
    expectRateLimited(await t.http.get('/api/v1/organizations').set(reader.auth));
    // …no write budget was used, but the request limit covers writes too.
    expectRateLimited(await patchMe(t, reader, 'Reader'));
    // Per user: another user still reads.
    await getMe(t, bystander).expect(200);
  });

  it('a throttled user gets 429 on every route, also where a later check would refuse the request', async () => {
    for (let i = 1; i <= USER_PER_MIN; i++) {
      await getMe(t, prober).expect(200);
    }
    expectRateLimited(await getMe(t, prober));
    // Requests that the organization or platform-role checks would refuse are requests too: they must be counted
    // and refused by the limit, not answered (after database lookups) with 404/403 without limit.
    expectRateLimited(await t.http.get('/api/v1/organizations/A999999').set(prober.auth));
    expectRateLimited(await t.http.get('/api/v1/audit').set(prober.auth).set('X-Organization-Id', 'A999999'));
    expectRateLimited(await t.http.get('/api/v1/admin/users').set(prober.auth));
  });

  it('keeps the counters in Redis under the app prefix', async () => {
    for (let i = 1; i <= USER_WRITES_PER_MIN; i++) {
      await patchMe(t, redisUser, `Redis ${i}`).expect(200);
    }
    expectRateLimited(await patchMe(t, redisUser, 'Redis blocked'));

    const keys = await redisKeys(t);
    const mine = keys.filter((k) => isThrottleKey(t, k) && k.includes(redisUser.id));
    expect(mine).toEqual(
      expect.arrayContaining([
        `${t.config.redis.prefix}:{user-writes:${redisUser.id}:user-writes}:hits`,
        `${t.config.redis.prefix}:{user-writes:${redisUser.id}:user-writes}:blocked`,
        `${t.config.redis.prefix}:{user:${redisUser.id}:user}:hits`,
      ]),
    );
    // Nothing of this app's throttling is stored outside its prefix.
    const redis = new Redis(t.config.redis.url);
    try {
      expect(await redis.keys(`{user-writes:${redisUser.id}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }

    // The state lives in Redis and nowhere else: remove it there and the user may write again at once.
    await deleteRedisKeys(t, mine);
    await patchMe(t, redisUser, 'Redis again').expect(200);
  });

  it('shares the counters between two instances of the app (same Redis prefix and database)', async () => {
    const keys = [...t.config.crypto.keys].map(([kid, key]) => `${kid}:${key.toString('base64')}`).join(',');
    t2 = await startTestApp({
      APP_ROLE: 'api',
      REDIS_PREFIX: t.config.redis.prefix,
      MONGODB_URI: t.config.mongo.uri,
      JWT_SECRET: t.config.auth.jwtSecret,
      ENCRYPTION_KEYS: keys,
      RATE_LIMIT_USER_WRITES_PER_MIN: String(USER_WRITES_PER_MIN),
      RATE_LIMIT_USER_PER_MIN: String(USER_PER_MIN),
    });
    const second = t2;
    // The token issued by the first instance works on the second: they really are one deployment.
    await getMe(second, shared).expect(200); // request 1

    // Writes alternate between the instances: each sees at most 3, together they reach the limit of 5.
    const apps = [t, second, t, second, t];
    for (let i = 0; i < USER_WRITES_PER_MIN; i++) {
      await patchMe(apps[i], shared, `Shared ${i}`).expect(200); // requests 2–6
    }
    expectRateLimited(await patchMe(second, shared, 'Shared blocked on 2')); // request 7
    expectRateLimited(await patchMe(t, shared, 'Shared blocked on 1')); // request 8
    // The request limit (8) is shared too: one more read on either instance is refused.
    expectRateLimited(await getMe(second, shared));
    expectRateLimited(await getMe(t, shared));
    // …while another user is untouched on both.
    await getMe(second, bystander).expect(200);
  });

  it('never throttles /health, not even for a blocked user', async () => {
    for (let i = 0; i < USER_PER_MIN * 3; i++) {
      await t.http.get('/health').set(writer.auth).expect(200);
    }
    await t.http.get('/health/ready').set(writer.auth).expect(200);
    // The user is in fact still blocked for writes.
    expectRateLimited(await patchMe(t, writer, 'Still blocked'));
  });
});

describe('rate limits on the anonymous auth routes (per client IP; failed logins per account and IP)', () => {
  let t: TestApp;
  let user: TestUser;

  /** The app trusts X-Forwarded-For from loopback (a local proxy), so each test can act from its own client IP. */
  const loginFrom = (ip: string, email: string, password: string) =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_AUTH_IP_PER_MIN: String(AUTH_IP_PER_MIN),
      LOGIN_FAILURES_BEFORE_LOCK: String(LOGIN_FAILURES_BEFORE_LOCK),
    });
    user = await createUser(t);
    // Registering, verifying and signing in above used up part of 127.0.0.1's and this email's budget: start the
    // tests from zero counters.
    await deleteRedisKeys(
      t,
      (await redisKeys(t)).filter((k) => isThrottleKey(t, k)),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('locks failed logins per account and IP (before the password is checked), never the account everywhere', async () => {
    const ip = '198.51.100.10';
    await loginFrom(ip, user.email, 'wrong-password-1').expect(401);
    // The email is normalised before counting: another spelling is the same account and the same counter.
    await loginFrom(ip, user.email.toUpperCase(), 'wrong-password-2').expect(401);
    const third = await loginFrom(ip, user.email, 'wrong-password-3').expect(401);
    expect(third.body.code).toBe('INVALID_CREDENTIALS');

    // The 4th attempt for this account from this IP is refused before the password is even looked at.
    const locked = await loginFrom(ip, user.email, user.password);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_FAILED_LOGINS' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The IP itself is not blocked (5 of 6): another email from it goes through to the credentials check…
    const other = await loginFrom(ip, uniqueEmail('other'), 'wrong-password-4');
    expect(other.status).toBe(401);
    expect(other.body.code).toBe('INVALID_CREDENTIALS');
    // …and the account is not locked for everyone: its owner signs in from another IP.
    await loginFrom('198.51.100.11', user.email, user.password).expect(200);
  });

  it('requests for an address that are not failed logins lock nothing (no one can lock the owner out)', async () => {
    const ip = '198.51.100.30';
    for (let i = 0; i < AUTH_IP_PER_MIN - 1; i++) {
      await t.http
        .post('/api/v1/auth/forgot-password')
        .set('X-Forwarded-For', ip)
        .send({ email: user.email })
        .expect(202);
    }
    await loginFrom('198.51.100.31', user.email, user.password).expect(200);
  });

  it('limits anonymous auth requests per IP across emails and auth routes', async () => {
    const ip = '198.51.100.20';
    for (let i = 0; i < AUTH_IP_PER_MIN; i++) {
      const res = await loginFrom(ip, uniqueEmail(`ip${i}`), 'wrong-password-x');
      expect(res.status).toBe(401);
    }
    const seventhEmail = uniqueEmail('ip-seventh');
    expectRateLimited(await loginFrom(ip, seventhEmail, 'wrong-password-x'));
    // Counted across the auth routes, not per route.
    expectRateLimited(
      await t.http
        .post('/api/v1/auth/forgot-password')
        .set('X-Forwarded-For', ip)
        .send({ email: seventhEmail }),
    );
    // It is the IP that is limited, not the email: the same email from another IP is checked normally.
    await loginFrom('198.51.100.21', seventhEmail, 'wrong-password-x').expect(401);
    // A signed-in user's own routes are not auth routes: not limited by the IP counter.
    await t.http.get('/api/v1/me').set(user.auth).set('X-Forwarded-For', ip).expect(200);
    // And /health never is.
    await t.http.get('/health').set('X-Forwarded-For', ip).expect(200);
  });
});
