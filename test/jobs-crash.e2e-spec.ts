import { Queue } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Connection } from 'mongoose';
import Redis from 'ioredis';
import request from 'supertest';
import { JobName, QueueName, jobIdFor, type JobPayloads } from '../src/infrastructure/queue/queue.constants';
import { POSSIBLE_DUPLICATES_KEY, deliveryKey } from '../src/infrastructure/mail/mail-deliveries';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { testEnv, type TestApp } from './helpers/test-app';

/**
 * Jobs are never lost or done twice, with real processes: an API process (APP_ROLE=api) and a worker process
 * (APP_ROLE=worker) run from the sources as children of this test, on their own database, Redis prefix and SMTP
 * receiver. The worker is killed with SIGKILL in the middle of a 1 000-line statement import and in the middle of
 * 1 000 queued mails; a new worker takes the stalled jobs over (lock 5 s, stalled check every 2 s here instead of
 * 30 s + 30 s) and finishes them: every line exactly once with the import's counts right, every mail received — a
 * second copy only for a mail the dead worker had claimed and not yet marked sent, counted in its delivery record.
 */

const ROOT = join(__dirname, '..');
const LINES = 1_000;
const MAILS = 1_000;
const LOCK_MS = 5_000;
const STALLED_INTERVAL_MS = 2_000;
/** Mail queue concurrency (queue.module.ts): at most this many mails are in flight when the worker dies. */
const CONCURRENCY = 4;

jest.setTimeout(150_000);

/** One app process from the sources (ts-node, transpile only): no build step, never a stale dist/. */
class AppProcess {
  private readonly child: ChildProcess;
  private output = '';

  constructor(
    readonly label: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async ready(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.alive) throw new Error(`${this.label} exited before it was ready:\n${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`${this.label} not ready within ${timeoutMs} ms:\n${this.output}`);
      await sleep(100);
    }
  }

  /** SIGKILL: no shutdown hook runs, active jobs keep their (now unrenewed) locks. Resolves once it is gone. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** The last lines it printed, for failure messages. */
  tail(): string {
    return `--- ${this.label} ---\n${this.output.slice(-4_000)}`;
  }

  /** Log lines (pino JSON) of this process that match. */
  logLines(pattern: RegExp): string[] {
    return this.output.split('\n').filter((line) => pattern.test(line));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const processes: AppProcess[] = [];

/** Polls `probe` every `everyMs` (gently: a tight poll of FerretDB/SQLite slows the worker it waits for). */
async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  everyMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms\n${processes.map((p) => p.tail()).join('\n')}`);
    await sleep(everyMs);
  }
}

/** A CSV statement of `count` lines, each with its own bank reference (so each has its own dedup key). */
function statement(count: number): Buffer {
  const rows = ['Datum;Bankreferens;Text;Belopp'];
  for (let i = 1; i <= count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    rows.push(`2026-05-${day};CRASH-${i};Kortköp butik ${i};-${i},${String(i % 100).padStart(2, '0')}`);
  }
  return Buffer.from(rows.join('\r\n'), 'utf8');
}

/** BullMQ connection options of the test Redis (host and port are all it has). */
function bullConnection(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379) };
}

const messageIdOf = (raw: string): string | null => /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? null;

describe('jobs survive a worker killed with SIGKILL (real processes)', () => {
  const databaseName = `wwt_${randomBytes(6).toString('hex')}`;
  const mail = new MailCatcher();
  let env: NodeJS.ProcessEnv;
  let db: Connection;
  let http: ReturnType<typeof request>;
  let user: TestUser;
  let worker: AppProcess;
  let redis: Redis;

  /** The app's idempotency records of these mails (Redis hashes, see mail-deliveries.ts). */
  const deliveryRecords = async (ids: string[]) => {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(`${databaseName}:${deliveryKey(id)}`);
    const rows = ((await pipeline.exec()) ?? []).map(([, row]) => row as Record<string, string>);
    return rows
      .map((row, i) => ({
        id: ids[i],
        state: row.state,
        attempts: Number(row.attempts),
        resends: Number(row.resends ?? 0),
      }))
      .filter((r) => r.state !== undefined);
  };

  const startWorker = async (label: string): Promise<AppProcess> => {
    const p = new AppProcess(label, { ...env, APP_ROLE: 'worker' });
    processes.push(p);
    await p.ready(/worker is running/);
    return p;
  };

  beforeAll(async () => {
    const smtpUrl = await mail.start();
    const port = await freePort();
    // One environment for every process: the API and the workers share secrets, database and queues.
    env = testEnv(databaseName, {
      SMTP_URL: smtpUrl,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DOCS_ENABLED: 'false',
      QUEUE_LOCK_DURATION_MS: String(LOCK_MS),
      QUEUE_STALLED_INTERVAL_MS: String(STALLED_INTERVAL_MS),
    });
    const api = new AppProcess('api', { ...env, APP_ROLE: 'api' });
    processes.push(api);
    [, worker] = await Promise.all([api.ready(/is running/), startWorker('worker 1')]);
    db = await mongoose.createConnection(env.MONGODB_URI!).asPromise();
    redis = new Redis(env.REDIS_URL!);
    http = request(`http://127.0.0.1:${port}`);
    // createUser and activatePro only use http, mail and db of a TestApp.
    const t = { http, mail, db } as unknown as TestApp;
    user = await createUser(t, { name: 'Krascha Kalle' });
    await activatePro(t, user.organizationId);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await db?.dropDatabase().catch(() => undefined);
    await db?.close();
    await mail.stop();
    if (redis) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${databaseName}:*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    }
    await rm(env.UPLOADS_DIR!, { recursive: true, force: true });
  });

  it('a 1 000-line import killed mid-way completes once: every line once, counts right, one completion', async () => {
    // A EUR account: matching only looks at SEK lines, so the job is insert + progress + counts + completion. Matching
    // 1 000 SEK lines on FerretDB/SQLite alone takes 100–200 s on a loaded 2-core machine (measured), which would make
    // this spec about the speed of matching; re-running it after a crash is a recomputation either way.
    const account = await http
      .post('/api/v1/bank/accounts')
      .set(user.auth)
      .send({
        name: 'Eurokonto',
        bank: 'Swedbank',
        clearingNumber: '8327-9',
        accountNumber: '123 456 789-0',
        currency: 'EUR',
      })
      .expect(201);
    const mapping = {
      separator: ';',
      decimal: ',',
      columns: { date: 'Datum', bankReference: 'Bankreferens', text: 'Text', amount: 'Belopp' },
    };
    const uploaded = await http
      .post(`/api/v1/bank/accounts/${account.body.id}/imports`)
      .set(user.auth)
      .field('mapping', JSON.stringify(mapping))
      .attach('file', statement(LINES), 'crash.csv')
      .expect(202);
    const importId = uploaded.body.id as string;
    const lines = db.collection('bank_lines');
    const imports = db.collection<{ _id: string; status: string }>('bank_imports');

    // Mid-import: the first batch of lines is in, the import is not done.
    const atKill = await waitUntil('lines being inserted', 60_000, 200, async () => {
      const n = await lines.countDocuments({ importId });
      return n > 0 ? n : undefined;
    });
    await worker.kill();
    const linesAtKill = await lines.countDocuments({ importId });
    const statusAtKill = (await imports.findOne({ _id: importId }))?.status;
    process.stdout.write(
      `jobs-crash import: worker killed with ${atKill} lines seen, ${linesAtKill} in the database, import ${statusAtKill}\n`,
    );
    expect(statusAtKill).toBe('processing');
    expect(linesAtKill).toBeGreaterThan(0);

    worker = await startWorker('worker 2');
    const restartedAt = Date.now();
    await waitUntil('import done', 90_000, 1_000, async () => {
      const status = (await imports.findOne({ _id: importId }))?.status;
      return status === 'done' || status === 'failed' ? status : undefined;
    });
    process.stdout.write(
      `jobs-crash import: done ${Math.round((Date.now() - restartedAt) / 1000)} s after the new worker started\n`,
    );
    const done = (await http.get(`/api/v1/bank/imports/${importId}`).set(user.auth).expect(200))
      .body as object;
    expect(done).toMatchObject({
      status: 'done',
      counts: { created: LINES, duplicates: 0, rejected: 0 },
      duplicates: [],
      rejected: [],
      progress: { processed: LINES, total: LINES, percent: 100 },
    });
    expect(await lines.countDocuments({ importId })).toBe(LINES);
    expect(await lines.countDocuments({ organizationId: user.organizationId })).toBe(LINES);
    const keys = await lines.distinct('dedupKey', { importId });
    expect(keys).toHaveLength(LINES);
    const refs = await lines.distinct('bankReference', { importId });
    expect(refs).toHaveLength(LINES);
    // The job ran again after the kill (it stalled once), and the import was completed once.
    const queue = new Queue(QueueName.Bank, {
      connection: bullConnection(env.REDIS_URL!),
      prefix: `${databaseName}:bull`,
    });
    try {
      const job = await queue.getJob(jobIdFor(JobName.BankImport, importId));
      expect(job?.stalledCounter).toBe(1);
      expect(await job?.getState()).toBe('completed');
    } finally {
      await queue.close();
    }
    const completions = await db
      .collection('audit_entries')
      .countDocuments({ action: 'bank.import_completed', targetId: importId });
    expect(completions).toBe(1);
  });

  it('1 000 queued mails with the worker killed mid-way: each received once, a resent one counted', async () => {
    const queue = new Queue(QueueName.Mail, {
      connection: bullConnection(env.REDIS_URL!),
      prefix: `${databaseName}:bull`,
    });
    try {
      mail.clear();
      // Earlier mails of this spec (the registration) are completed jobs of the same queue.
      const before = await queue.getJobCounts('completed');
      // The producer's job shape (MailService.send): a delivery id as payload field and jobId; the app's retry policy.
      const ids = Array.from({ length: MAILS }, () => randomUUID());
      await queue.addBulk(
        ids.map((deliveryId, i) => {
          const data: JobPayloads[JobName.SendMail] = {
            to: `crash-${i}@example.se`,
            template: 'verify-email',
            locale: 'en',
            vars: { name: `Mottagare ${i}`, link: `https://westwallet.test/verify/${i}`, token: `t${i}` },
            deliveryId,
          };
          return {
            name: JobName.SendMail,
            data,
            opts: {
              jobId: jobIdFor(JobName.SendMail, deliveryId),
              attempts: 5,
              backoff: { type: 'exponential', delay: 2_000 },
            },
          };
        }),
      );

      const receivedAtKill = await waitUntil('some hundreds of mails delivered', 60_000, 50, () =>
        Promise.resolve(mail.messages.length >= 300 ? mail.messages.length : undefined),
      );
      await worker.kill();
      // Writes already on their way from the dead process land within a moment; then the claims left open are known.
      await sleep(500);
      const openAtKill = (await deliveryRecords(ids)).filter((r) => r.state === 'sending');
      const receivedAfterKill = mail.messages.length;
      expect(receivedAfterKill).toBeLessThan(MAILS);
      expect(openAtKill.length).toBeLessThanOrEqual(CONCURRENCY);

      worker = await startWorker('worker 3');
      await waitUntil('queue drained', 120_000, 250, async () => {
        const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
        return counts.completed + counts.failed === before.completed + MAILS && counts.active === 0
          ? counts
          : undefined;
      });
      await sleep(300);

      const received = new Map<string, number>();
      for (const m of mail.messages) {
        const id = messageIdOf(m.raw);
        expect(id).not.toBeNull();
        received.set(id!, (received.get(id!) ?? 0) + 1);
      }
      const expectedIds = ids.map((id) => `<${id}@westwallet.se>`);
      const missing = expectedIds.filter((id) => !received.has(id));
      const doubled = [...received].filter(([, n]) => n > 1);
      const strangers = [...received.keys()].filter((id) => !expectedIds.includes(id));
      const records = await deliveryRecords(ids);
      const resends = records.reduce((sum, r) => sum + r.resends, 0);
      process.stdout.write(
        `jobs-crash mail: ${receivedAtKill} received when killed (${receivedAfterKill} after), ` +
          `${openAtKill.length} claims open at the kill, ${mail.messages.length} received in all, ` +
          `${doubled.length} Message-IDs twice, ${resends} resends counted\n`,
      );

      expect(missing).toEqual([]);
      expect(strangers).toEqual([]);
      expect(records).toHaveLength(MAILS);
      expect(records.every((r) => r.attempts === 1 + r.resends)).toBe(true);
      expect(Number(await redis.get(`${databaseName}:${POSSIBLE_DUPLICATES_KEY}`))).toBe(resends);
      expect(records.every((r) => r.state === 'sent')).toBe(true);
      // Only a mail the dead worker had claimed and not marked sent is sent again — and it is counted.
      expect(resends).toBe(openAtKill.length);
      const resent = new Set(records.filter((r) => r.resends > 0).map((r) => `<${r.id}@westwallet.se>`));
      for (const [id, n] of doubled) {
        expect(n).toBe(2);
        expect(resent.has(id)).toBe(true);
      }
      expect(mail.messages.length).toBe(MAILS + doubled.length);
      expect(doubled.length).toBeLessThanOrEqual(resends);
      // The app says so in its log too, once per resend.
      expect(worker.logLines(/possible duplicate/)).toHaveLength(resends);
      const counts = await queue.getJobCounts('completed', 'failed');
      expect(counts).toEqual({ completed: before.completed + MAILS, failed: 0 });
    } finally {
      await queue.close();
    }
  });
});
