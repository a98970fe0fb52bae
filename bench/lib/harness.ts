/**
 * What a bench needs around the app: the test services (started, or an existing server from MONGODB_URI and
 * REDIS_URL), the real app listening on a port with its own database and Redis prefix, a verified user signed in
 * through the API, a tenant context for seeding through repositories, and timing helpers. `close()` drops the
 * database and the Redis keys and stops what was started.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createHttpApp } from '../../src/bootstrap';
import { RequestContext, type RequestStore } from '../../src/common/context/request-context';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { activatePro } from '../../test/helpers/billing';
import { createUser, type TestUser } from '../../test/helpers/factories';
import { MailCatcher } from '../../test/helpers/mail-catcher';
import { deleteRedisKeys, type TestApp } from '../../test/helpers/test-app';

export interface Services {
  base: string;
  options: string;
  redisUrl: string;
  stop?: () => Promise<void>;
}

/** The test profile's services (`scripts/lib/services.js`), or the server MONGODB_URI/REDIS_URL name. */
export async function services(): Promise<Services> {
  const uri = process.env.MONGODB_URI;
  if (uri && process.env.REDIS_URL) {
    const u = new URL(uri);
    return {
      base: `${u.protocol}//${u.host}`,
      options: u.searchParams.toString(),
      redisUrl: process.env.REDIS_URL,
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../../scripts/lib/services') as {
    up(profile: string): Promise<{ env: Record<string, string> }>;
    down(profile: string, options: { transientOnly: boolean }): Promise<void>;
  };
  const { env } = await lib.up('test');
  return {
    base: env.TEST_MONGODB_BASE,
    options: env.TEST_MONGODB_OPTIONS,
    redisUrl: env.REDIS_URL,
    stop: () => lib.down('test', { transientOnly: true }),
  };
}

export interface BenchApp extends TestApp {
  /** `http://127.0.0.1:<port>` of the listening app. */
  url: string;
  user: TestUser;
  /** Runs `fn` as the user inside an organization (default the user's own): for seeding through repositories. */
  inOrg<T>(fn: () => Promise<T>, organizationId?: string): Promise<T>;
}

/** Starts the app (API + workers) on a fresh database with a verified Pro user; `env` overrides the config. */
export async function startBenchApp(name: string, env: Record<string, string> = {}): Promise<BenchApp> {
  const svc = await services();
  const databaseName = `ww_bench_${name}_${randomBytes(4).toString('hex')}`;
  const mail = new MailCatcher();
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    APP_ROLE: 'all',
    LOG_LEVEL: 'silent',
    MONGODB_URI: `${svc.base}/${databaseName}?${svc.options}`,
    REDIS_URL: svc.redisUrl,
    REDIS_PREFIX: databaseName,
    SMTP_URL: await mail.start(),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    UPLOADS_DIR: join(tmpdir(), `${databaseName}-uploads`),
    RATE_LIMIT_USER_PER_MIN: '1000000',
    RATE_LIMIT_USER_WRITES_PER_MIN: '1000000',
    RATE_LIMIT_AUTH_IP_PER_MIN: '1000',
    JWT_ACCESS_TTL_SECONDS: String(6 * 3600),
    ...env,
  });
  const app: NestExpressApplication = await createHttpApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const db = app.get<Connection>(getConnectionToken());
  const close = async () => {
    await db.dropDatabase().catch(() => undefined);
    await app.close();
    await mail.stop();
    await deleteRedisKeys(config.redis.url, `${config.redis.prefix}:*`);
    await rm(config.uploadsDir, { recursive: true, force: true });
    await svc.stop?.();
  };
  const harness: TestApp = { app, http: request(app.getHttpServer()), config, mail, db, databaseName, close };
  const user = await createUser(harness, { name: 'Bench Bänksson' });
  await activatePro(harness, user.organizationId, 3650);
  const context = app.get(RequestContext);
  const inOrg = <T>(fn: () => Promise<T>, organizationId = user.organizationId) => {
    const store: Partial<RequestStore> = {
      tenant: { organizationId, orgRole: 'owner' },
      actor: { userId: user.id, platformRole: 'user' },
    };
    return context.run(store, fn);
  };
  return { ...harness, url: `http://127.0.0.1:${port}`, user, inOrg };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** Alternates the two contenders `runs` times after one warm-up each; the medians and the last values. */
export async function compare<A, B>(
  a: () => Promise<A>,
  b: () => Promise<B>,
  runs: number,
): Promise<{ a: number; b: number; av: A; bv: B }> {
  let av: A = await a();
  let bv: B = await b();
  const at: number[] = [];
  const bt: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = await time(a);
    const y = await time(b);
    at.push(x.ms);
    bt.push(y.ms);
    av = x.value;
    bv = y.value;
  }
  return { a: median(at), b: median(bt), av, bv };
}
