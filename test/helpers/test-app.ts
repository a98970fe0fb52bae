import { getConnectionToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createHttpApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { MailCatcher } from './mail-catcher';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  config: AppConfig;
  mail: MailCatcher;
  db: Connection;
  databaseName: string;
  close(): Promise<void>;
}

/** Database URI of a fresh database on the test server. */
export function testMongoUri(databaseName: string): string {
  return `${process.env.TEST_MONGODB_BASE}/${databaseName}?${process.env.TEST_MONGODB_OPTIONS ?? ''}`;
}

export function testEnv(databaseName: string, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    APP_ROLE: 'all',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGODB_URI: testMongoUri(databaseName),
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: databaseName,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    ADMIN_EMAILS: 'admin@westwallet.test',
    UPLOADS_DIR: join(tmpdir(), `${databaseName}-uploads`),
    // Generous limits so specs are not throttled by accident; the rate-limit spec sets its own.
    RATE_LIMIT_USER_PER_MIN: '10000',
    RATE_LIMIT_USER_WRITES_PER_MIN: '10000',
    RATE_LIMIT_AUTH_IP_PER_MIN: '10000',
    LOGIN_FAILURES_BEFORE_LOCK: '10000',
    MAIL_PER_ADDRESS_PER_HOUR: '10000',
    ...overrides,
  };
}

/**
 * Boots the real AppModule (API + worker in one process) on its own database, Redis prefix and SMTP receiver.
 * `close()` shuts it down and drops all three.
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const databaseName = `wwt_${randomBytes(6).toString('hex')}`;
  const mail = new MailCatcher();
  const smtpUrl = await mail.start();
  const config = loadConfig(testEnv(databaseName, { SMTP_URL: smtpUrl, ...overrides }));
  const app = await createHttpApp(config);
  await app.init();
  const db = app.get<Connection>(getConnectionToken());
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    mail,
    db,
    databaseName,
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await app.close();
      await mail.stop();
      await deleteRedisKeys(config.redis.url, `${config.redis.prefix}:*`);
      await rm(config.uploadsDir, { recursive: true, force: true });
    },
  };
}

/** Deletes every key of a Redis matching `pattern` (a test's or bench's prefix). */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
