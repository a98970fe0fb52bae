import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './app-config';

const key = randomBytes(32).toString('base64');
const valid = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/ww',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(40),
  ENCRYPTION_KEYS: `k1:${key}`,
};

describe('loadConfig', () => {
  it('applies safe defaults', () => {
    const config = loadConfig(valid);
    expect(config.role).toBe('all');
    expect(config.http.port).toBe(3000);
    expect(config.auth.accessTtlSeconds).toBe(900);
    expect(config.auth.refreshTtlDays).toBe(30);
    expect(config.auth.refreshFamilyMaxDays).toBe(30);
    expect(config.auth.bcryptCost).toBe(12);
    expect(config.rateLimits).toEqual({
      userPerMin: 200,
      userWritesPerMin: 20,
      userUploadsPerMin: 60,
      authIpPerMin: 30,
      loginFailuresBeforeLock: 5,
      loginLockBaseSeconds: 30,
      loginLockMaxSeconds: 900,
      mailPerAddressPerHour: 3,
    });
    expect(config.crypto.activeKeyId).toBe('k1');
    expect(config.globalIdPrefix).toBe('A');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...valid, APP_ROLE: '', ENCRYPTION_ACTIVE_KEY_ID: '' }).role).toBe('all');
  });

  it('names every missing or malformed variable in one line', () => {
    let message = '';
    try {
      loadConfig({ ...valid, MONGODB_URI: undefined, PORT: 'eighty', APP_ROLE: 'both', JWT_SECRET: 'short' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).not.toContain('\n');
    for (const name of ['MONGODB_URI', 'PORT', 'APP_ROLE', 'JWT_SECRET']) expect(message).toContain(name);
  });

  it('refuses weak bcrypt, bad keys, and production without SMTP', () => {
    expect(() => loadConfig({ ...valid, BCRYPT_COST: '10' })).toThrow(/BCRYPT_COST/);
    expect(() => loadConfig({ ...valid, ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/ENCRYPTION_KEYS/);
    expect(() => loadConfig({ ...valid, ENCRYPTION_ACTIVE_KEY_ID: 'k9' })).toThrow(
      /ENCRYPTION_ACTIVE_KEY_ID/,
    );
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production' })).toThrow(/SMTP_URL/);
    expect(loadConfig({ ...valid, NODE_ENV: 'production', SMTP_URL: 'smtp://mail:587' }).mail.smtpUrl).toBe(
      'smtp://mail:587',
    );
  });

  it('serves the API docs by default except in production, where DOCS_ENABLED=true turns them on', () => {
    const prod = { ...valid, NODE_ENV: 'production', SMTP_URL: 'smtp://mail:587' };
    expect(loadConfig(valid).http.docsEnabled).toBe(true);
    expect(loadConfig({ ...valid, NODE_ENV: 'test' }).http.docsEnabled).toBe(true);
    expect(loadConfig({ ...valid, DOCS_ENABLED: 'false' }).http.docsEnabled).toBe(false);
    expect(loadConfig(prod).http.docsEnabled).toBe(false);
    expect(loadConfig({ ...prod, DOCS_ENABLED: '' }).http.docsEnabled).toBe(false);
    expect(loadConfig({ ...prod, DOCS_ENABLED: 'true' }).http.docsEnabled).toBe(true);
    expect(() => loadConfig({ ...prod, DOCS_ENABLED: 'yes' })).toThrow(/DOCS_ENABLED/);
  });

  it('parses lists and key rings', () => {
    const k2 = randomBytes(32).toString('base64');
    const config = loadConfig({
      ...valid,
      ADMIN_EMAILS: ' Admin@Example.se, ops@example.se ',
      ENCRYPTION_KEYS: `k1:${key},k2:${k2}`,
      ENCRYPTION_ACTIVE_KEY_ID: 'k2',
    });
    expect(config.auth.adminEmails).toEqual(['admin@example.se', 'ops@example.se']);
    expect([...config.crypto.keys.keys()]).toEqual(['k1', 'k2']);
    expect(config.crypto.activeKeyId).toBe('k2');
  });
});
