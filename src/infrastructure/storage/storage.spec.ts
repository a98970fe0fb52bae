import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../config/app-config';
import { assertPrefix, isStorageKey, storageKey } from './storage-keys';

const base = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/ww',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(40),
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

describe('storage configuration', () => {
  it('defaults to the local disk under UPLOADS_DIR, with no S3', () => {
    expect(loadConfig(base).storage).toEqual({ driver: 'local', local: { dir: 'uploads' }, s3: null });
  });

  it('STORAGE_DRIVER=s3 reads the S3_* variables with safe defaults', () => {
    const config = loadConfig({
      ...base,
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:8333',
      S3_BUCKET: 'westwallet',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_PRESIGN: 'true',
    });
    expect(config.storage).toEqual({
      driver: 's3',
      local: { dir: 'uploads' },
      s3: {
        endpoint: 'http://127.0.0.1:8333',
        presignEndpoint: undefined,
        region: 'us-east-1',
        bucket: 'westwallet',
        prefix: '',
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
        forcePathStyle: true,
        presignTtlSeconds: 300,
        createBucket: false,
        connectTimeoutMs: 3000,
        requestTimeoutMs: 15000,
        maxAttempts: 2,
      },
    });
  });

  it('refuses S3 without a bucket, half a key pair, bad bucket names and prefixes', () => {
    expect(() => loadConfig({ ...base, STORAGE_DRIVER: 's3' })).toThrow(/S3_BUCKET is required/);
    expect(() =>
      loadConfig({ ...base, STORAGE_DRIVER: 's3', S3_BUCKET: 'b1b', S3_ACCESS_KEY_ID: 'id' }),
    ).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ ...base, S3_BUCKET: 'Not_A_Bucket' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ ...base, S3_BUCKET: 'ok-bucket', S3_PREFIX: 'no-slash' })).toThrow(/S3_PREFIX/);
    expect(() => loadConfig({ ...base, STORAGE_DRIVER: 'ftp' })).toThrow(/STORAGE_DRIVER/);
    expect(loadConfig({ ...base, S3_BUCKET: 'ok-bucket', S3_PREFIX: 'ww/prod/' }).storage.s3?.prefix).toBe(
      'ww/prod/',
    );
  });
});

describe('storage keys', () => {
  it('are relative paths of safe segments', () => {
    for (const key of ['A1/A2.original', 'exports/A1/A3.zip', 'a', 'A1/A2.thumbnail.webp'])
      expect(isStorageKey(key)).toBe(true);
    for (const key of [
      '',
      '/a',
      'a/',
      'a//b',
      '../a',
      'a/../b',
      './a',
      '.env',
      'a b',
      'a\\b',
      'å',
      'a/b.0123456789ab.tmp',
    ])
      expect(isStorageKey(key)).toBe(false);
    expect(isStorageKey('a'.repeat(513))).toBe(false);
    expect(storageKey('exports', 'A1', 'A2.zip')).toBe('exports/A1/A2.zip');
    expect(() => storageKey('exports', '..', 'x')).toThrow(/Not a storage key/);
  });

  it('prefixes are whole segments ending in / and the start of one more', () => {
    expect(assertPrefix('A1/A2.', { allowEmpty: false })).toBe('A1/A2.');
    expect(assertPrefix('exports/', { allowEmpty: false })).toBe('exports/');
    expect(assertPrefix('', { allowEmpty: true })).toBe('');
    expect(() => assertPrefix('', { allowEmpty: false })).toThrow(/empty prefix/);
    expect(() => assertPrefix('../', { allowEmpty: true })).toThrow(/Not a storage key prefix/);
    expect(() => assertPrefix('a//', { allowEmpty: true })).toThrow(/Not a storage key prefix/);
  });
});
