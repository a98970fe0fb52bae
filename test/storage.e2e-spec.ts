import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { createHttpApp } from '../src/bootstrap';
import type { AppConfig } from '../src/config/app-config';
import { HealthContributors } from '../src/infrastructure/health/health-contributors';
import type { FileStorage } from '../src/infrastructure/storage/file-storage';
import { hashStream, sha256Of } from '../src/infrastructure/storage/hashing';
import { LocalDiskStorage } from '../src/infrastructure/storage/local-disk.storage';
import { S3Storage } from '../src/infrastructure/storage/s3.storage';
import {
  StorageIntegrityError,
  StorageNotFoundError,
  StorageUnavailableError,
} from '../src/infrastructure/storage/storage-errors';
import { StorageHealth } from '../src/infrastructure/storage/storage-health';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { blackHole, dropBucket, s3Config, s3Env, uniqueBucket } from './helpers/s3';
import { startTestApp, type TestApp } from './helpers/test-app';
import { jpegWithGps, minimalPdf } from './helpers/upload-fixtures';
import { binaryParser, getContent, postUpload, waitForUpload, type UploadBody } from './helpers/uploads-api';

/**
 * The storage drivers against real storage: a folder, and SeaweedFS (an S3-compatible server, started by
 * `npm test`). Then the uploads flow with STORAGE_DRIVER=s3 across two app instances sharing one bucket, pre-signed
 * downloads, and an object storage that is down or hangs (503, bounded time).
 */

const collect = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const keysOf = async (storage: FileStorage, prefix: string): Promise<string[]> => {
  const keys: string[] = [];
  for await (const object of storage.list(prefix)) keys.push(object.key);
  return keys;
};

describe('storage drivers', () => {
  const bucket = uniqueBucket();
  let dir: string;
  const drivers: Array<[string, () => FileStorage]> = [];
  let local: LocalDiskStorage;
  let s3: S3Storage;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wwt-storage-'));
    local = new LocalDiskStorage(dir);
    s3 = new S3Storage(s3Config(bucket, { S3_PREFIX: 'ww/', S3_PRESIGN: 'true' }));
    expect(await s3.ensureBucket()).toBe('created');
    expect(await s3.ensureBucket()).toBe('exists');
  });
  afterAll(async () => {
    s3.destroy();
    await dropBucket(bucket);
    await rm(dir, { recursive: true, force: true });
  });
  drivers.push(['local', () => local], ['s3', () => s3]);

  describe.each(drivers)('%s', (_name, storage) => {
    it('puts a Buffer and a stream, gets, reads, stats, lists in key order, deletes by prefix', async () => {
      const s = storage();
      const small = Buffer.from('kvitto ICA 129,50 kr');
      expect(await s.put('A10/A11.original', small, { contentType: 'text/plain' })).toEqual({
        size: small.length,
        sha256: sha256Of(small),
      });
      // A streamed 9 MB body: more than one 8 MB part on S3 (multipart), never whole in memory on the way.
      const big = Buffer.alloc(9 * 1024 * 1024, 7);
      const putBig = await s.put(
        'exports/A10/A12.zip',
        Readable.from([big.subarray(0, 4e6), big.subarray(4e6)]),
        {
          sha256: sha256Of(big),
        },
      );
      expect(putBig).toEqual({ size: big.length, sha256: sha256Of(big) });
      await s.put('A10/A13.thumbnail.webp', Buffer.from('thumb'));

      const got = await s.get('A10/A11.original');
      expect(got.size).toBe(small.length);
      expect(await collect(got.body)).toEqual(small);
      expect(await s.read('A10/A11.original')).toEqual(small);
      expect(await hashStream((await s.get('exports/A10/A12.zip')).body)).toEqual({
        size: big.length,
        sha256: sha256Of(big),
      });

      const info = await s.stat('A10/A11.original');
      expect(info).toMatchObject({ key: 'A10/A11.original', size: small.length });
      // S3 keeps the SHA-256 with the object; the local disk does not.
      expect(info?.sha256).toBe(s.driver === 's3' ? sha256Of(small) : null);
      expect(await s.stat('A10/A99.original')).toBeNull();

      expect(await keysOf(s, 'A10/')).toEqual(['A10/A11.original', 'A10/A13.thumbnail.webp']);
      expect(await keysOf(s, 'A10/A11.')).toEqual(['A10/A11.original']);
      expect(await keysOf(s, '')).toEqual([
        'A10/A11.original',
        'A10/A13.thumbnail.webp',
        'exports/A10/A12.zip',
      ]);

      // Replacing is whole: a second put under the same key leaves the new bytes only.
      await s.put('A10/A11.original', Buffer.from('ny'));
      expect((await s.read('A10/A11.original')).toString()).toBe('ny');

      expect(await s.deletePrefix('A10/A1')).toBe(2);
      expect(await keysOf(s, 'A10/')).toEqual([]);
      await s.delete('exports/A10/A12.zip');
      await s.delete('exports/A10/A12.zip'); // nothing there is fine
      expect(await keysOf(s, '')).toEqual([]);
    });

    it('a missing object is StorageNotFoundError; bad keys and wrong hashes are refused, nothing is kept', async () => {
      const s = storage();
      await expect(s.get('A20/A21.original')).rejects.toBeInstanceOf(StorageNotFoundError);
      await expect(s.read('A20/A21.original')).rejects.toBeInstanceOf(StorageNotFoundError);
      for (const bad of [
        '../etc/passwd',
        '/abs',
        'a//b',
        'a/../b',
        '.hidden',
        'x y',
        'a/b.0123456789ab.tmp',
      ]) {
        await expect(s.put(bad, Buffer.from('x'))).rejects.toThrow(/Not a storage key/);
      }
      await expect(s.deletePrefix('')).rejects.toThrow(/empty prefix/);

      const bytes = Buffer.from('riktiga bytes');
      await expect(
        s.put('A20/A22.original', bytes, { sha256: sha256Of(Buffer.from('andra')) }),
      ).rejects.toBeInstanceOf(StorageIntegrityError);
      await expect(
        s.put('A20/A23.original', Readable.from([bytes]), { sha256: sha256Of(Buffer.from('andra')) }),
      ).rejects.toBeInstanceOf(StorageIntegrityError);
      expect(await keysOf(s, 'A20/')).toEqual([]);
    });
  });

  it('local disk: the same layout as before the driver (UPLOADS_DIR/{folder}/{file}), empty folders removed', async () => {
    await local.put('A30/A31.original', Buffer.from('x'));
    expect(await readdir(join(dir, 'A30'))).toEqual(['A31.original']);
    await writeFile(join(dir, 'A30', 'A31.original.0123456789ab.tmp'), 'half-written');
    expect(await keysOf(local, 'A30/')).toEqual(['A30/A31.original']); // a write under way is not listed
    expect(await local.deletePrefix('A30/A31.')).toBe(1);
    await expect(readdir(join(dir, 'A30'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await local.presignedGetUrl()).toBeNull();
  });

  it('s3: keys live under S3_PREFIX; a pre-signed URL downloads with the given name and type', async () => {
    const bytes = Buffer.from('%PDF-1.4 faktura');
    await s3.put('A40/A41.original', bytes);
    const raw = await s3.client.send(
      new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({ Bucket: bucket, Prefix: 'ww/A40/' }),
    );
    expect(raw.Contents?.map((c) => c.Key)).toEqual(['ww/A40/A41.original']);
    const url = await s3.presignedGetUrl('A40/A41.original', {
      fileName: 'Faktura år 2026.pdf',
      contentType: 'application/pdf',
    });
    expect(url).toMatch(/X-Amz-Signature=/);
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''Faktura%20%C3%A5r%202026.pdf");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    // Without the signature the object is private.
    expect((await fetch(url!.split('?')[0])).status).toBe(403);
    await s3.delete('A40/A41.original');
  });

  it('s3 down or hanging: StorageUnavailableError within the timeouts; the health check says down', async () => {
    const hole = await blackHole();
    const hanging = new S3Storage(
      s3Config(bucket, { S3_ENDPOINT: hole.endpoint, S3_REQUEST_TIMEOUT_MS: '600', S3_MAX_ATTEMPTS: '1' }),
    );
    const refused = new S3Storage(
      s3Config(bucket, { S3_ENDPOINT: 'http://127.0.0.1:9', S3_MAX_ATTEMPTS: '2' }),
    );
    try {
      for (const s of [hanging, refused]) {
        const started = Date.now();
        await expect(s.put('A50/A51.original', Buffer.from('x'))).rejects.toBeInstanceOf(
          StorageUnavailableError,
        );
        await expect(s.get('A50/A51.original')).rejects.toBeInstanceOf(StorageUnavailableError);
        await expect(s.stat('A50/A51.original')).rejects.toBeInstanceOf(StorageUnavailableError);
        await expect(keysOf(s, 'A50/')).rejects.toBeInstanceOf(StorageUnavailableError);
        expect(Date.now() - started).toBeLessThan(8_000);
        const report = await new StorageHealth(s).check(500);
        expect(report).toMatchObject({ status: 'down', details: { driver: 's3' } });
        expect(report.reasons[0]).toMatch(/not reachable/);
      }
      expect(await new StorageHealth(s3).check()).toMatchObject({ status: 'ok', reasons: [] });
      expect(await new StorageHealth(local).check()).toMatchObject({
        status: 'ok',
        details: { driver: 'local' },
      });
    } finally {
      hanging.destroy();
      refused.destroy();
      await hole.close();
    }
  });
});

describe('uploads on S3: two app instances share one bucket', () => {
  const bucket = uniqueBucket();
  let worker: TestApp; // API + worker
  let api: NestExpressApplication; // API only: never processes, never has a file on its own disk
  let viaApi: TestApp;
  let alice: TestUser;

  const start = async (config: AppConfig): Promise<NestExpressApplication> => {
    const app = await createHttpApp(config);
    await app.init();
    return app;
  };

  beforeAll(async () => {
    worker = await startTestApp(s3Env(bucket));
    const apiConfig: AppConfig = {
      ...worker.config,
      role: 'api',
      uploadsDir: join(tmpdir(), `${worker.databaseName}-api-uploads`),
      storage: {
        ...worker.config.storage,
        local: { dir: join(tmpdir(), `${worker.databaseName}-api-uploads`) },
        s3: { ...worker.config.storage.s3!, presignTtlSeconds: 60 },
      },
    };
    api = await start(apiConfig);
    viaApi = { ...worker, app: api, http: request(api.getHttpServer()), config: apiConfig };
    alice = await createUser(worker, { name: 'Alice Andersson' });
    await activatePro(worker, alice.organizationId);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await dropBucket(bucket);
  });

  const objects = async (folder: string): Promise<string[]> => {
    const storage = new S3Storage(worker.config.storage.s3!);
    try {
      return (await keysOf(storage, `${folder}/`)).map((k) => k.slice(folder.length + 1));
    } finally {
      storage.destroy();
    }
  };

  it('an image posted to one instance is processed by the other; both serve every variant from the bucket', async () => {
    const photo = await jpegWithGps(320, 240);
    const created = await postUpload(viaApi, alice, photo, 'kvitto.jpg');
    const id = (created.body as UploadBody).id;
    const done = await waitForUpload(viaApi, alice, id);
    expect(done).toMatchObject({ status: 'ready', width: 320, height: 240 });
    expect(Object.keys(done.variants).sort()).toEqual(['compressed', 'original', 'thumbnail']);
    expect(await objects(id)).toEqual([`${id}.compressed.webp`, `${id}.original`, `${id}.thumbnail.webp`]);

    // The worker instance streams; the API instance (S3_PRESIGN) redirects to the bucket.
    const thumb = await getContent(worker, alice, id, 'thumbnail');
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(Number(thumb.headers['content-length'])).toBe(done.variants.thumbnail.size);
    expect((thumb.body as Buffer).subarray(8, 12).toString()).toBe('WEBP');
    const original = await getContent(worker, alice, id, 'original');
    expect((original.body as Buffer).length).toBe(done.variants.original.size);

    const redirected = await viaApi.http
      .get(`/api/v1/uploads/${id}/content?variant=original`)
      .set(alice.auth)
      .expect(302);
    const presigned = await fetch(redirected.headers.location);
    expect(presigned.headers.get('content-type')).toBe('image/jpeg');
    expect(presigned.headers.get('content-disposition')).toContain('kvitto.jpg');
    expect(Buffer.from(await presigned.arrayBuffer())).toEqual(original.body);
    // 304 still answered by the API without touching the storage.
    await viaApi.http
      .get(`/api/v1/uploads/${id}/content?variant=original`)
      .set(alice.auth)
      .set('If-None-Match', original.headers.etag)
      .expect(304);

    // The `storage` health contributor (/admin/system) sees the bucket.
    expect((await worker.app.get(HealthContributors).runAll()).storage).toMatchObject({
      status: 'ok',
      details: { driver: 's3', location: expect.stringContaining(bucket) },
      reasons: [],
    });

    // Neither instance wrote to its own disk.
    await expect(readdir(worker.config.uploadsDir)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readdir(viaApi.config.uploadsDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a PDF is ready at once; to the trash and purged for good removes its objects; bad input stays 4xx', async () => {
    const pdf = minimalPdf();
    const created = await postUpload(worker, alice, pdf, 'faktura.pdf');
    const id = (created.body as UploadBody).id;
    const served = await viaApi.http
      .get(`/api/v1/uploads/${id}/content`)
      .set(alice.auth)
      .redirects(1)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(served.body).toEqual(pdf);
    expect(await objects(id)).toEqual([`${id}.original`]);

    await viaApi.http.delete(`/api/v1/uploads/${id}`).set(alice.auth).expect(200);
    expect(await objects(id)).toEqual([`${id}.original`]); // in the trash: restorable, files kept
    await worker.http.delete(`/api/v1/trash/${id}`).set(alice.auth).expect(200);
    expect(await objects(id)).toEqual([]);

    const empty = await postUpload(viaApi, alice, Buffer.alloc(0), 'tom.pdf', { expect: 400 });
    expect(empty.body).toMatchObject({ code: expect.stringMatching(/EMPTY_FILE|FILE_REQUIRED/) });
    const exe = await postUpload(viaApi, alice, Buffer.from('MZ not a picture at all'), 'x.exe', {
      expect: 415,
    });
    expect(exe.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('object storage hanging: 503 SERVICE_UNAVAILABLE in the common shape, quickly; metadata still reads', async () => {
    const stored = await postUpload(worker, alice, minimalPdf(), 'arkiv.pdf');
    const id = (stored.body as UploadBody).id;
    const hole = await blackHole();
    const apps: NestExpressApplication[] = [];
    try {
      // (A refused connection is the faster case; the drivers' spec above covers it.)
      for (const endpoint of [hole.endpoint]) {
        const config: AppConfig = {
          ...viaApi.config,
          storage: {
            ...viaApi.config.storage,
            s3: {
              ...viaApi.config.storage.s3!,
              endpoint,
              presignTtlSeconds: null,
              requestTimeoutMs: 700,
              maxAttempts: 1,
              createBucket: false,
            },
          },
        };
        const broken = await start(config);
        apps.push(broken);
        const http = request(broken.getHttpServer());
        const started = Date.now();
        const upload = await http
          .post('/api/v1/uploads')
          .set(alice.auth)
          .attach('file', minimalPdf(), 'ny.pdf')
          .expect(503);
        expect(upload.body).toEqual({
          statusCode: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: expect.any(String),
          details: { dependency: 'storage' },
          requestId: expect.any(String),
        });
        expect(upload.headers['retry-after']).toBeDefined();
        const content = await http.get(`/api/v1/uploads/${id}/content`).set(alice.auth).expect(503);
        expect(content.body).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          details: { dependency: 'storage' },
        });
        expect(Date.now() - started).toBeLessThan(6_000);
        await http.get(`/api/v1/uploads/${id}`).set(alice.auth).expect(200);
        expect((await broken.get(StorageHealth).check(500)).status).toBe('down');
        const components = await broken.get(HealthContributors).runAll(1_000);
        expect(components.storage).toMatchObject({ status: 'down', details: { driver: 's3' } });
      }
    } finally {
      for (const app of apps) await app.close();
      await hole.close();
    }
  });
});
