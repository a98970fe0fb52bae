/**
 * bench/uploads — one 12-megapixel JPEG (noise, so it does not compress to nothing; ~5–6 MB like a phone photo)
 * through the whole path: HTTP upload → queue → worker (rotate, strip metadata, WebP ≤ 2048 px, thumbnail) →
 * status `ready` seen by the client; against a bare `sharp(buf).rotate().resize(2048).webp()` of the same file,
 * measured in the same run (medians of BENCH_ROUNDS rounds, alternating). Target: ratio ≤ 1.3×.
 * Then the event-loop delay p99 (perf_hooks.monitorEventLoopDelay) of the API process while 4 uploads run at
 * once. Target: < 50 ms — the heavy work happens in the worker, not on the request path.
 *
 * Two shapes, both in one run:
 *   split  the production shape: this process is APP_ROLE=api, a child process is APP_ROLE=worker;
 *   all    one process with both roles (APP_ROLE=all, a single small machine): shown for information.
 *
 *   npm run bench:uploads
 *
 * Needs MongoDB (or FerretDB) and Redis: MONGODB_URI and REDIS_URL when set (a fresh database and Redis prefix
 * are used and removed), else the local test services are started (`node scripts/services.js up --profile test`)
 * and stopped again. BENCH_ROUNDS (default 5) sets the number of sequential rounds.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import sharp from 'sharp';
import request from 'supertest';
import { createApp, createHttpApp } from '../src/bootstrap';
import { loadConfig, type AppConfig } from '../src/config/app-config';
import { jobIdFor, JobName, QueueName } from '../src/infrastructure/queue/queue.constants';
import { JobQueue } from '../src/infrastructure/queue/queue.module';
import { redisConnectionFromUrl } from '../src/infrastructure/redis/redis.module';
import { activatePro } from '../test/helpers/billing';
import { createUser, type TestUser } from '../test/helpers/factories';
import { MailCatcher } from '../test/helpers/mail-catcher';
import type { TestApp } from '../test/helpers/test-app';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENT = 4;
const RATIO_TARGET = 1.3;
const DELAY_TARGET_MS = 50;

type Services = { mongoBase: string; mongoOptions: string; redisUrl: string; stop?: () => Promise<void> };

async function services(): Promise<Services> {
  if (process.env.MONGODB_URI && process.env.REDIS_URL) {
    const u = new URL(process.env.MONGODB_URI);
    return {
      mongoBase: `${u.protocol}//${u.host}`,
      mongoOptions: u.searchParams.toString(),
      redisUrl: process.env.REDIS_URL,
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const svc = require('../scripts/lib/services') as {
    up(profile: string): Promise<{ env: Record<string, string> }>;
    down(profile: string, options?: { transientOnly?: boolean }): Promise<void>;
  };
  const { env } = await svc.up('test');
  return {
    mongoBase: env.TEST_MONGODB_BASE,
    mongoOptions: env.TEST_MONGODB_OPTIONS,
    redisUrl: env.REDIS_URL,
    stop: () => svc.down('test', { transientOnly: true }),
  };
}

function benchEnv(s: Services, databaseName: string, smtpUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    MONGODB_URI: `${s.mongoBase}/${databaseName}?${s.mongoOptions}`,
    REDIS_URL: s.redisUrl,
    REDIS_PREFIX: databaseName,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    UPLOADS_DIR: `.local/bench/${databaseName}-uploads`,
    SMTP_URL: smtpUrl,
    RATE_LIMIT_USER_PER_MIN: '100000',
    RATE_LIMIT_USER_WRITES_PER_MIN: '100000',
    RATE_LIMIT_AUTH_IP_PER_MIN: '100000',
    RATE_LIMIT_AUTH_EMAIL_PER_MIN: '100000',
  };
}

/** 4000 × 3000 from quarter-resolution noise (photo-like detail, not compressible to nothing), with GPS EXIF. */
async function photo(): Promise<Buffer> {
  const noise = randomBytes(1000 * 750 * 3);
  return sharp(noise, { raw: { width: 1000, height: 750, channels: 3 } })
    .resize(4000, 3000)
    .withExif({ IFD0: { Make: 'Bench' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '57/1 42/1 0/1' } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function baseline(file: Buffer): Promise<number> {
  const start = process.hrtime.bigint();
  await sharp(file).rotate().resize(2048).webp().toBuffer();
  return ms(start);
}

/**
 * POST the file, wait for the worker's job to finish (BullMQ's completion event: waiting costs no CPU, where polling
 * every few ms on a 2-core machine would slow down the very work being measured), then read the upload back once
 * and check it is `ready`. Milliseconds from the first byte sent.
 */
async function fullPath(t: TestApp, user: TestUser, file: Buffer, events: QueueEvents): Promise<number> {
  const start = process.hrtime.bigint();
  const created = await t.http
    .post('/api/v1/uploads')
    .set(user.auth)
    .attach('file', file, 'bench.jpg')
    .expect(201);
  const id = (created.body as { id: string }).id;
  const job = await t.app.get(JobQueue).queue(QueueName.Uploads).getJob(jobIdFor(JobName.ProcessUpload, id));
  if (!job) throw new Error(`no processing job for upload ${id}`);
  await job.waitUntilFinished(events, 120_000);
  const res = await t.http.get(`/api/v1/uploads/${id}`).set(user.auth).expect(200);
  const status = (res.body as { status: string }).status;
  if (status !== 'ready') throw new Error(`upload ${id} ended as ${status}: ${JSON.stringify(res.body)}`);
  return ms(start);
}

/** The worker role in a child process (this same file with --worker), sharing database, Redis prefix and disk. */
function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(__filename, ['--worker'], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, ...env, APP_ROLE: 'worker' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function runShape(
  shape: 'split' | 'all',
  s: Services,
  file: Buffer,
): Promise<{ ratio: number; p99: number }> {
  const databaseName = `ww_bench_${randomBytes(4).toString('hex')}`;
  const mail = new MailCatcher();
  const env = benchEnv(s, databaseName, await mail.start());
  const config: AppConfig = loadConfig({ ...env, APP_ROLE: shape === 'split' ? 'api' : 'all' });
  const app: NestExpressApplication = await createHttpApp(config);
  await app.init();
  const worker = shape === 'split' ? await startWorker(env) : null;
  const db = app.get<Connection>(getConnectionToken());
  const events = new QueueEvents(QueueName.Uploads, {
    connection: redisConnectionFromUrl(s.redisUrl),
    prefix: `${config.redis.prefix}:bull`,
  });
  await events.waitUntilReady();
  const t: TestApp = {
    app,
    http: request(app.getHttpServer()),
    config,
    mail,
    db,
    databaseName,
    close: () => Promise.resolve(),
  };
  try {
    const user = await createUser(t, { name: 'Bench Bänksson' });
    await activatePro(t, user.organizationId);
    await fullPath(t, user, file, events); // warm-up: connections, JIT, libvips
    await baseline(file);

    const full: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(await baseline(file));
      full.push(await fullPath(t, user, file, events));
    }
    const ratio = median(full) / median(bare);

    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CONCURRENT }, () => fullPath(t, user, file, events)));
    const together = ms(started);
    histogram.disable();
    const p99 = histogram.percentile(99) / 1e6;

    const label =
      shape === 'split' ? 'split (api here + worker process)' : 'all (api and worker in one process)';
    console.log(`\n${label}`);
    console.log(
      `  bare sharp rotate+resize(2048)+webp: median ${median(bare).toFixed(0)} ms  [${bare.map((v) => v.toFixed(0)).join(', ')}]`,
    );
    console.log(
      `  full path upload → ready:           median ${median(full).toFixed(0)} ms  [${full.map((v) => v.toFixed(0)).join(', ')}]`,
    );
    console.log(
      `  ratio full/bare: ${ratio.toFixed(2)}x (target <= ${RATIO_TARGET}x) ${ratio <= RATIO_TARGET ? 'OK' : 'ABOVE TARGET'}`,
    );
    console.log(`  ${CONCURRENT} uploads at once: all ready after ${together.toFixed(0)} ms`);
    console.log(
      `  API event-loop delay meanwhile: p50 ${(histogram.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(histogram.max / 1e6).toFixed(1)} ms (target p99 < ${DELAY_TARGET_MS} ms) ${p99 < DELAY_TARGET_MS ? 'OK' : 'ABOVE TARGET'}`,
    );
    return { ratio, p99 };
  } finally {
    await events.close();
    if (worker) await stopWorker(worker);
    await db.dropDatabase().catch(() => undefined);
    await app.close();
    await mail.stop();
    const redis = new Redis(s.redisUrl);
    try {
      const keys = await redis.keys(`${databaseName}:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    await rm(config.uploadsDir, { recursive: true, force: true });
  }
}

async function workerMain(): Promise<void> {
  const app: INestApplicationContext = await createApp(loadConfig(process.env));
  await app.init();
  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
  process.send?.('ready');
}

async function main(): Promise<void> {
  const s = await services();
  try {
    const file = await photo();
    const meta = await sharp(file).metadata();
    console.log(
      `uploads: ${meta.width}×${meta.height} JPEG, ${(file.length / 1e6).toFixed(1)} MB, ${ROUNDS} rounds; ` +
        `libvips ${sharp.versions.vips}, ${cpus().length} CPUs`,
    );
    const split = await runShape('split', s, file);
    const all = await runShape('all', s, file);
    console.log(
      `\nresult (production shape = split): ratio ${split.ratio.toFixed(2)}x, event-loop p99 ${split.p99.toFixed(1)} ms; ` +
        `single process: ratio ${all.ratio.toFixed(2)}x, p99 ${all.p99.toFixed(1)} ms`,
    );
    process.exitCode = split.ratio <= RATIO_TARGET && split.p99 < DELAY_TARGET_MS ? 0 : 1;
  } finally {
    await s.stop?.();
  }
}

if (process.argv.includes('--worker')) {
  workerMain().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
