import { HealthContributors } from '../src/infrastructure/health/health-contributors';
import { createAdmin, createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

const api = (path: string) => `/api/v1${path}`;
const METRICS_TOKEN = 'metrics-token-for-the-system-spec-0123456789';

interface Component {
  status: 'ok' | 'degraded' | 'down';
  details: Record<string, unknown>;
  reasons: string[];
}

/** `/admin/system` and `/metrics` on the real app: real FerretDB, Redis, BullMQ and an SMTP receiver. */
describe('system health', () => {
  let t: TestApp;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    // No /docs: this spec does not need the OpenAPI document.
    t = await startTestApp({ METRICS_TOKEN, GIT_COMMIT: 'abc1234', DOCS_ENABLED: 'false' });
    [admin, user] = await Promise.all([createAdmin(t), createUser(t)]);
  });
  afterAll(() => t.close());

  const system = async () =>
    (await t.http.get(api('/admin/system')).set(admin.auth).expect(200)).body as {
      status: string;
      reasons: string[];
      version: string;
      commit: string | null;
      uptimeSeconds: number;
      components: Record<string, Component>;
    };

  it('is for platform admins only', async () => {
    await t.http.get(api('/admin/system')).expect(401);
    const refused = await t.http.get(api('/admin/system')).set(user.auth).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });

  it('reports every part with one overall status: database, Redis, queues, jobs, mail, disk', async () => {
    const report = await system();
    expect(report).toMatchObject({ status: 'ok', reasons: [], version: '0.1.0', commit: 'abc1234' });
    expect(report.uptimeSeconds).toBeGreaterThanOrEqual(0);
    const c = report.components;
    expect(Object.keys(c)).toEqual(
      expect.arrayContaining(['database', 'redis', 'queues', 'jobs', 'mail', 'disk']),
    );
    expect(c.database.details.latencyMs).toEqual(expect.any(Number));
    expect(c.redis.details.latencyMs).toEqual(expect.any(Number));
    expect(c.queues.details.mail).toEqual({
      waiting: expect.any(Number),
      active: expect.any(Number),
      failed: expect.any(Number),
      delayed: expect.any(Number),
      oldestWaitingSeconds: null,
    });
    // Both users got their verification mail through the queue: the send job ran and completed.
    expect(c.jobs.details['mail.send']).toMatchObject({
      outcome: 'completed',
      durationMs: expect.any(Number),
    });
    expect(c.jobs.details['reminders.daily']).toMatchObject({ scheduled: true });
    expect(c.mail.details).toMatchObject({
      smtpConfigured: true,
      smtpReachable: true,
      lastSuccessfulSendAt: expect.any(String),
      failuresLast24h: 0,
    });
    expect(c.disk.details.freeBytes).toEqual(expect.any(Number));
  });

  it('includes registered contributors; a failing or throwing one makes the whole status down with its reason', async () => {
    const contributors = t.app.get(HealthContributors);
    contributors.register({
      name: 'test-webhooks',
      check: () =>
        Promise.resolve({ status: 'degraded', details: { failing: 2 }, reasons: ['2 endpoints failing'] }),
    });
    let report = await system();
    expect(report.components['test-webhooks']).toEqual({
      status: 'degraded',
      details: { failing: 2 },
      reasons: ['2 endpoints failing'],
    });
    expect(report).toMatchObject({ status: 'degraded', reasons: ['2 endpoints failing'] });

    contributors.register({ name: 'test-storage', check: () => Promise.reject(new Error('bucket gone')) });
    report = await system();
    expect(report.status).toBe('down');
    expect(report.components['test-storage']).toMatchObject({ status: 'down' });
    expect(report.reasons).toContain('test-storage: check failed (bucket gone)');
  });

  it('Prometheus metrics need the metrics token; with it: request latency per route, job durations', async () => {
    await t.http.get('/metrics').expect(401);
    await t.http.get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    await t.http.get('/metrics').set(admin.auth).expect(401);
    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /westwallet_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/admin\/system",status="200"\} \d+/,
    );
    expect(res.text).toMatch(
      /westwallet_job_duration_seconds_count\{queue="mail",job="mail.send",outcome="completed"\} \d+/,
    );
    expect(res.text).toMatch(/westwallet_queue_jobs\{queue="mail",state="waiting"\} \d+/);
    expect(res.text).toContain('westwallet_process_cpu_seconds_total');
  });

  it('an SMTP server that does not answer makes mail (and the whole status) down', async () => {
    await t.mail.stop();
    const report = await system();
    expect(report.components.mail).toMatchObject({ status: 'down', details: { smtpReachable: false } });
    expect(report.status).toBe('down');
    expect(report.reasons.some((r) => r.startsWith('mail: SMTP server not reachable'))).toBe(true);
  });
});
