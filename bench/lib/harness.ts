/**
 * What a bench needs around the app: the test services (started, or an existing server from MONGODB_URI and
 * REDIS_URL: ./services), the real app with its own database and Redis prefix (listening on a port, or not), a
 * verified user signed in through the API with a fetch helper carrying its token, a tenant context for seeding
 * through repositories, and the timing helpers (./timing). `close()` drops the database and the Redis keys and stops
 * what was started.
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
import { services, type Services } from './services';

export { services, type Services } from './services';
export { compare, median, medianMean, percentile, time, timeSync } from './timing';

export interface AppOptions {
  /** APP_ROLE (default `all`: the sign-up's verification mail leaves through the mail queue, which a worker runs). */
  role?: 'all' | 'api' | 'worker';
  /** Config overrides (after the bench defaults). */
  env?: Record<string, string>;
  /** Services of the caller's (not stopped by `close()`); default `services()`, stopped by `close()`. */
  services?: Services;
  /** Listen on a loopback port (default); `false`: initialized only, reached through `http` (supertest). */
  listen?: boolean;
}

export interface BenchServer extends TestApp {
  /** `http://127.0.0.1:<port>` of the listening app (empty when not listening). */
  url: string;
  /** The environment the config was loaded from: for a process of the bench's own (say APP_ROLE=worker). */
  env: Record<string, string>;
}

export interface BenchApp extends BenchServer {
  user: TestUser;
  /** The user's token and organization (`X-Organization-Id`): the headers of every API call of the bench. */
  headers: Record<string, string>;
  /** `fetch` of `/api/v1<path>` on the listening app with `headers`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** GET `/api/v1<path>`, its JSON; throws unless the status is 2xx. */
  getJson<T = unknown>(path: string): Promise<T>;
  /** Runs `fn` as the user inside an organization (default the user's own): for seeding through repositories. */
  inOrg<T>(fn: () => Promise<T>, organizationId?: string): Promise<T>;
}

/** Starts the app (API + workers unless `role` says otherwise) on a fresh database; no user yet. */
export async function startApp(name: string, options: AppOptions = {}): Promise<BenchServer> {
  const svc = options.services ?? (await services());
  const stopServices = options.services ? undefined : svc.stop;
  const databaseName = `ww_bench_${name}_${randomBytes(4).toString('hex')}`;
  const mail = new MailCatcher();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    APP_ROLE: options.role ?? 'all',
    LOG_LEVEL: 'silent',
    MONGODB_URI: `${svc.base}/${databaseName}?${svc.options}`,
    REDIS_URL: svc.redisUrl,
    REDIS_PREFIX: databaseName,
    SMTP_URL: await mail.start(),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    UPLOADS_DIR: join(tmpdir(), `${databaseName}-uploads`),
    // The limiter runs on every request (a Redis round trip) but must not refuse the bench's own requests.
    RATE_LIMIT_USER_PER_MIN: '1000000',
    RATE_LIMIT_USER_WRITES_PER_MIN: '1000000',
    RATE_LIMIT_AUTH_IP_PER_MIN: '1000',
    // A long run on a loaded FerretDB outlasts the default 15 minutes of one access token.
    JWT_ACCESS_TTL_SECONDS: String(6 * 3600),
    ...options.env,
  };
  let app: NestExpressApplication | undefined;
  const config: AppConfig = loadConfig(env);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= closeOnce());
  const closeOnce = async () => {
    await app
      ?.get<Connection>(getConnectionToken())
      .dropDatabase()
      .catch(() => undefined);
    await app?.close();
    await mail.stop();
    await deleteRedisKeys(config.redis.url, `${config.redis.prefix}:*`).catch(() => undefined);
    await rm(config.uploadsDir, { recursive: true, force: true });
    await stopServices?.();
  };
  try {
    app = await createHttpApp(config);
    let url = '';
    if (options.listen === false) await app.init();
    else {
      await app.listen(0, '127.0.0.1');
      url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    }
    const db = app.get<Connection>(getConnectionToken());
    return { app, http: request(app.getHttpServer()), config, mail, db, databaseName, close, url, env };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * A user registered, verified by mail and signed in through the API; `pro` (default) puts its household on an
 * active Pro plan (a new household is on the free plan: read-only for bank data). Closes the app on failure.
 */
export async function withUser(server: BenchServer, options: { pro?: boolean } = {}): Promise<BenchApp> {
  try {
    const user = await createUser(server, { name: 'Bench Bänksson' });
    if (options.pro !== false) await activatePro(server, user.organizationId, 3650);
    const headers = { ...user.auth, 'X-Organization-Id': user.organizationId };
    const api = (path: string, init?: RequestInit) =>
      fetch(
        `${server.url}/api/v1${path}`,
        init
          ? { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } }
          : { headers },
      );
    const getJson = async <T>(path: string): Promise<T> => {
      const res = await api(path);
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const context = server.app.get(RequestContext);
    const inOrg = <T>(fn: () => Promise<T>, organizationId = user.organizationId) => {
      const store: Partial<RequestStore> = {
        tenant: { organizationId, orgRole: 'owner' },
        actor: { userId: user.id, platformRole: 'user' },
      };
      return context.run(store, fn);
    };
    return { ...server, user, headers, fetch: api, getJson, inOrg };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** `startApp` and `withUser`: the app on a fresh database with a verified (by default Pro) user. */
export async function startBenchApp(
  name: string,
  options: AppOptions & { pro?: boolean } = {},
): Promise<BenchApp> {
  return withUser(await startApp(name, options), options);
}
