import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobQueue } from '../src/infrastructure/queue/queue.module';
import { jobIdFor, JobName, QueueName } from '../src/infrastructure/queue/queue.constants';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { OwnFerretDb, OwnRedis } from './helpers/own-services';
import { startTestApp, type TestApp } from './helpers/test-app';
import { pngWithGps } from './helpers/upload-fixtures';

/**
 * Faults of the parts, for real: the app runs against a Redis and a FerretDB of this spec's own, which are killed
 * (SIGKILL) and restarted on the same port — or frozen (SIGSTOP) — while a small load of requests runs. Every answer
 * must be a normal one or a 503 in the common error shape, within RESPONSE_BOUND_MS, and the app must come back by
 * itself when the part does.
 */

const RESPONSE_BOUND_MS = 5_000;
const REDIS_OUTAGE_MS = 20_000;
const DATABASE_OUTAGE_MS = 10_000;

type Kind = 'me' | 'preferences' | 'login' | 'upload';
const NORMAL_STATUS: Record<Kind, number> = { me: 200, preferences: 200, login: 200, upload: 201 };

interface Sample {
  kind: Kind;
  at: number;
  ms: number;
  status: number;
  body: Record<string, unknown>;
  retryAfter?: string;
}

const isNormal = (s: Sample): boolean => s.status === NORMAL_STATUS[s.kind];
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

/** Three clients in a loop: reads, a write, a login (bcrypt + auth rate limit) and an image upload (enqueues a job). */
class Load {
  readonly samples: Sample[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly t: TestApp,
    private readonly user: TestUser,
    private readonly image: Buffer,
  ) {
    this.loops = [
      this.loop(['me', 'preferences']),
      this.loop(['me', 'login']),
      this.loop(['preferences', 'upload']),
    ];
  }

  private async loop(kinds: Kind[]): Promise<void> {
    for (let i = 0; this.running; i++) {
      this.samples.push(await this.request(kinds[i % kinds.length]));
      await sleep(50);
    }
  }

  private async request(kind: Kind): Promise<Sample> {
    const { http } = this.t;
    const auth = this.user.auth;
    const started = Date.now();
    const req =
      kind === 'me'
        ? http.get('/api/v1/me').set(auth)
        : kind === 'preferences'
          ? http
              .patch('/api/v1/me/preferences')
              .set(auth)
              .send({ ui: { theme: started % 2 ? 'dark' : 'light' } })
          : kind === 'login'
            ? http.post('/api/v1/auth/login').send({ email: this.user.email, password: this.user.password })
            : http.post('/api/v1/uploads').set(auth).attach('file', this.image, 'receipt.png');
    try {
      const res = await req.timeout({ response: 3 * RESPONSE_BOUND_MS });
      const retryAfter = res.headers['retry-after'] as string | undefined;
      return { kind, at: started, ms: Date.now() - started, status: res.status, body: res.body, retryAfter };
    } catch {
      // No answer at all (timeout, connection reset): status 0 fails every assertion below.
      return { kind, at: started, ms: Date.now() - started, status: 0, body: {} };
    }
  }

  /** Samples started at or after `from` and before `to`. */
  between(from: number, to = Infinity): Sample[] {
    return this.samples.filter((s) => s.at >= from && s.at < to);
  }

  /** Samples answered before `t`. */
  answeredBefore(t: number): Sample[] {
    return this.samples.filter((s) => s.at + s.ms < t);
  }

  /** Samples started at or after `from` and answered before `to`. */
  settled(from: number, to: number): Sample[] {
    return this.samples.filter((s) => s.at >= from && s.at + s.ms < to);
  }

  /** Samples in flight at some moment of [from, to). */
  overlapping(from: number, to: number): Sample[] {
    return this.samples.filter((s) => s.at < to && s.at + s.ms >= from);
  }

  /** Waits until every kind has answered normally at least once after `since`; returns when that was. */
  async recovered(since: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const kinds = (Object.keys(NORMAL_STATUS) as Kind[]).map((kind) =>
        this.samples.find((s) => s.kind === kind && s.at >= since && isNormal(s)),
      );
      if (kinds.every(Boolean)) return Math.max(...kinds.map((s) => s!.at + s!.ms));
      await sleep(100);
    }
    const last = (Object.keys(NORMAL_STATUS) as Kind[]).map((kind) => {
      const s = this.samples.filter((x) => x.kind === kind).at(-1);
      return `${kind}: ${s ? `${s.status} ${JSON.stringify(s.body)}` : 'none'}`;
    });
    throw new Error(
      `not every kind of request answered normally within ${timeoutMs} ms; last: ${last.join('; ')}`,
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/** Every answer is normal or a 503 in the common error shape naming the dependency; none is slow; none a 500. */
function expectBoundedAndShaped(samples: Sample[], dependency: 'redis' | 'database', minSamples = 10): void {
  expect(samples.length).toBeGreaterThanOrEqual(minSamples);
  for (const s of samples) {
    expect({ kind: s.kind, status: s.status }).toEqual({
      kind: s.kind,
      status: isNormal(s) ? NORMAL_STATUS[s.kind] : 503,
    });
    expect(s.ms).toBeLessThan(RESPONSE_BOUND_MS);
    if (s.status === 503) {
      expect(s.body).toEqual({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: expect.any(String),
        details: { dependency },
        requestId: expect.any(String),
      });
      expect(Number(s.retryAfter)).toBeGreaterThan(0);
    }
  }
}

function report(label: string, samples: Sample[], recoveryMs: number): void {
  const ms = samples.map((s) => s.ms);
  const unavailable = samples.filter((s) => s.status === 503).length;
  process.stdout.write(
    `faults: ${label}: ${samples.length} requests (${unavailable} × 503), max ${Math.max(...ms)} ms, ` +
      `p95 ${percentile(ms, 95)} ms; all normal again ${recoveryMs} ms after the restart\n`,
  );
}

describe('faults of the parts (own Redis and FerretDB, killed or frozen under load)', () => {
  let redis: OwnRedis;
  let ferret: OwnFerretDb;
  let t: TestApp;
  let user: TestUser;
  let image: Buffer;

  beforeAll(async () => {
    [redis, ferret] = await Promise.all([OwnRedis.start(), OwnFerretDb.start()]);
    const databaseName = `wwt_faults_${randomBytes(4).toString('hex')}`;
    t = await startTestApp({ REDIS_URL: redis.url, MONGODB_URI: ferret.uri(databaseName) });
    user = await createUser(t);
    await activatePro(t, user.organizationId);
    image = await pngWithGps(32, 24);
  }, 60_000);

  afterAll(async () => {
    ferret?.thaw();
    await t?.close();
    await Promise.all([redis?.kill(), ferret?.remove()]);
  }, 30_000);

  it('a stuck database pauses the worker (logged once), a job added meanwhile waits, and it runs after', async () => {
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok', mongodb: 'up', redis: 'up', workers: 'running' });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const log = jest.spyOn(Logger.prototype, 'log');
    const jobs = t.app.get(JobQueue);
    const jobId = jobIdFor(JobName.PurgeTrash, `faults-${randomBytes(4).toString('hex')}`);
    try {
      ferret.freeze();
      const frozenAt = Date.now();
      let paused: { body: Record<string, unknown>; status: number } | null = null;
      while (!paused && Date.now() - frozenAt < 10_000) {
        const res = await t.http.get('/health/ready');
        if (res.body.workers === 'paused') paused = res;
      }
      const pausedAfterMs = Date.now() - frozenAt;
      expect(paused).toMatchObject({
        status: 503,
        body: { status: 'unavailable', mongodb: 'down', redis: 'up' },
      });

      // Redis answers, so the job is queued; the paused worker must not run it while the database is stuck.
      await jobs.add(JobName.PurgeTrash, { dueBefore: new Date().toISOString() }, { jobId });
      await sleep(6_000); // three more watchdog intervals of failed pings
      const job = await jobs.queue(QueueName.Trash).getJob(jobId);
      expect(['waiting', 'delayed']).toContain(await job!.getState());

      ferret.thaw();
      const thawedAt = Date.now();
      let state = '';
      while (state !== 'completed' && Date.now() - thawedAt < 20_000) {
        await sleep(200);
        state = await job!.getState();
      }
      expect(state).toBe('completed');
      const resumed = await t.http.get('/health/ready').expect(200);
      expect(resumed.body.workers).toBe('running');
      process.stdout.write(
        `faults: stuck database: workers paused ${pausedAfterMs} ms after SIGSTOP; ` +
          `the held job completed ${Date.now() - thawedAt} ms after SIGCONT\n`,
      );

      const messages = (spy: jest.SpyInstance) => spy.mock.calls.map((args: unknown[]) => String(args[0]));
      expect(messages(warn).filter((m) => m.includes('did not answer a ping'))).toEqual([
        'database did not answer a ping within 2000 ms; workers paused',
      ]);
      expect(messages(log).filter((m) => m.includes('workers resumed'))).toHaveLength(1);
    } finally {
      ferret.thaw();
      warn.mockRestore();
      log.mockRestore();
    }
  }, 45_000);

  it('Redis killed for 20 s under load: reads and writes go on (limits fail open), auth and queueing answer 503, then all recovers', async () => {
    const load = new Load(t, user, image);
    try {
      await sleep(1_000);
      const downAt = Date.now();
      await redis.kill();
      await sleep(REDIS_OUTAGE_MS);
      const restartAt = Date.now();
      await redis.start();
      const upAt = Date.now();
      const recoveredAt = await load.recovered(upAt, 15_000);
      await sleep(2_000);
      await load.stop();

      const before = load.answeredBefore(downAt);
      expect(before.length).toBeGreaterThan(0);
      expect(before.filter((s) => !isNormal(s))).toEqual([]);

      const outage = load.overlapping(downAt, upAt);
      expectBoundedAndShaped(outage, 'redis');
      // Settled outage (the client has noticed): per-user limits fail open, the auth limit and the queue do not.
      const settled = load.settled(downAt + 1_000, restartAt);
      const byKind = (kind: Kind) => settled.filter((s) => s.kind === kind).map((s) => s.status);
      expect(new Set(byKind('me'))).toEqual(new Set([200]));
      expect(new Set(byKind('preferences'))).toEqual(new Set([200]));
      expect(new Set(byKind('login'))).toEqual(new Set([503]));
      expect(new Set(byKind('upload'))).toEqual(new Set([503]));

      const after = load.between(recoveredAt);
      expect(after.length).toBeGreaterThan(3);
      expect(after.filter((s) => !isNormal(s))).toEqual([]);
      report('Redis down 20 s', outage, recoveredAt - upAt);
    } finally {
      await load.stop();
    }
  }, 60_000);

  it('the database killed and restarted under load: 503 within the bound, then all recovers without a restart', async () => {
    const load = new Load(t, user, image);
    try {
      await sleep(1_000);
      const downAt = Date.now();
      await ferret.kill();
      await sleep(DATABASE_OUTAGE_MS);
      const restartAt = Date.now();
      await ferret.start();
      const upAt = Date.now();
      const recoveredAt = await load.recovered(upAt, 30_000);
      await sleep(2_000);
      await load.stop();

      expect(load.answeredBefore(downAt).filter((s) => !isNormal(s))).toEqual([]);
      const outage = load.overlapping(downAt, upAt);
      expectBoundedAndShaped(outage, 'database', 6);
      const settled = load.settled(downAt + 1_000, restartAt);
      expect(settled.length).toBeGreaterThan(5);
      expect(settled.filter(isNormal)).toEqual([]);

      const after = load.between(recoveredAt);
      expect(after.length).toBeGreaterThan(3);
      expect(after.filter((s) => !isNormal(s))).toEqual([]);
      // Between the restart and full recovery: still bounded, never a 500.
      expectBoundedAndShaped(load.between(upAt, recoveredAt), 'database', 0);
      report('database down 10 s', outage, recoveredAt - upAt);
    } finally {
      await load.stop();
    }
  }, 75_000);
});
