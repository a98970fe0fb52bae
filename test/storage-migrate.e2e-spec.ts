import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { runStorageMigrate, type MigrationReport } from '../src/cli/storage-migrate';
import { createHttpApp } from '../src/bootstrap';
import type { AppConfig } from '../src/config/app-config';
import { sha256Of } from '../src/infrastructure/storage/hashing';
import { S3Storage } from '../src/infrastructure/storage/s3.storage';
import { activatePro } from './helpers/billing';
import { createUser } from './helpers/factories';
import { dropBucket, s3Config, s3Env, uniqueBucket } from './helpers/s3';
import { startTestApp } from './helpers/test-app';
import { jpegWithGps, minimalPdf } from './helpers/upload-fixtures';
import { binaryParser, uploadAndWait } from './helpers/uploads-api';

/** `npm run storage:migrate` against SeaweedFS: dry run, copy with SHA-256 verification, resume, idempotence. */

const run = async (argv: string[], env: Record<string, string>) => {
  const lines: string[] = [];
  const code = await runStorageMigrate(argv, env, (line) => lines.push(line));
  return { code, lines, output: lines.join('\n') };
};

const report = (output: string): MigrationReport => JSON.parse(output) as MigrationReport;

describe('storage:migrate', () => {
  const bucket = uniqueBucket();
  let dir: string;
  let env: Record<string, string>;
  let s3: S3Storage;
  const files: Record<string, Buffer> = {
    'A100/A101.original': Buffer.from('%PDF-1.4 faktura'),
    'A100/A102.thumbnail.webp': Buffer.from('RIFF....WEBP'),
    'exports/A100/A103.zip': Buffer.alloc(3 * 1024 * 1024 + 17, 'z'),
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wwt-migrate-'));
    for (const [key, bytes] of Object.entries(files)) {
      await mkdir(join(dir, key, '..'), { recursive: true });
      await writeFile(join(dir, key), bytes);
    }
    // Not files of the storage: a write interrupted half-way, and a dot file.
    await writeFile(join(dir, 'A100', 'A104.original.0123456789ab.tmp'), 'half');
    await writeFile(join(dir, '.gitkeep'), '');
    env = s3Env(bucket, { UPLOADS_DIR: dir, STORAGE_DRIVER: 'local' });
    s3 = new S3Storage(s3Config(bucket));
    await s3.ensureBucket();
  });
  afterAll(async () => {
    s3.destroy();
    await dropBucket(bucket);
    await rm(dir, { recursive: true, force: true });
  });

  const bucketKeys = async () => {
    const keys: string[] = [];
    for await (const object of s3.list('')) keys.push(object.key);
    return keys;
  };

  it('a dry run says what it would copy and writes nothing', async () => {
    const { code, output } = await run(['--dry-run', '--json'], env);
    expect(code).toBe(0);
    expect(report(output)).toMatchObject({
      dryRun: true,
      files: 3,
      bytes: Object.values(files).reduce((n, b) => n + b.length, 0),
      counts: { 'would-copy': 3, copied: 0, failed: 0 },
    });
    expect(await bucketKeys()).toEqual([]);
    await expect(readFile(join(dir, `.storage-migrate-${bucket}.jsonl`))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('copies every file under the same key, verified by SHA-256; a second run sends nothing', async () => {
    const first = await run([], env);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/3 files .*copied 3, replaced 0, verified 0, already verified 0, failed 0/);
    expect(await bucketKeys()).toEqual(Object.keys(files).sort());
    for (const [key, bytes] of Object.entries(files)) {
      expect(await s3.stat(key)).toMatchObject({ size: bytes.length, sha256: sha256Of(bytes) });
      // (hashes, not toEqual: jest compares a 3 MB Buffer key by key, for minutes)
      expect(sha256Of(await s3.read(key))).toBe(sha256Of(bytes));
    }
    const before = await s3.stat('exports/A100/A103.zip');

    const again = await run(['--json'], env);
    expect(report(again.output).counts).toMatchObject({ skipped: 3, copied: 0, verified: 0, failed: 0 });
    expect((await s3.stat('exports/A100/A103.zip'))?.lastModified).toEqual(before?.lastModified);
    // The local files are left as they were.
    expect(await readFile(join(dir, 'A100/A101.original'))).toEqual(files['A100/A101.original']);
  });

  it('resumes: an object with other bytes is sent again; one without a checked read-back is read back', async () => {
    await s3.put('A100/A101.original', Buffer.from('something else'));
    await rm(join(dir, `.storage-migrate-${bucket}.jsonl`)); // as if the run that sent them had died
    const dry = await run(['--dry-run', '--json'], env);
    expect(report(dry.output).counts).toMatchObject({ 'would-copy': 1, 'would-verify': 2 });

    const resumed = await run(['--json', '--concurrency', '2'], env);
    expect(resumed.code).toBe(0);
    expect(report(resumed.output).counts).toMatchObject({ replaced: 1, verified: 2, failed: 0 });
    expect(await s3.read('A100/A101.original')).toEqual(files['A100/A101.original']);

    const checkedAll = await run(['--json', '--verify-existing'], env);
    expect(report(checkedAll.output).counts).toMatchObject({ verified: 3, skipped: 0 });
  });

  it('usage and configuration errors exit 2; an unreachable bucket exits 1 and copies nothing', async () => {
    expect((await run(['--bogus'], env)).code).toBe(2);
    expect((await run(['--concurrency', '0'], env)).code).toBe(2);
    const noBucket = await run([], { ...env, S3_BUCKET: '' });
    expect(noBucket).toMatchObject({ code: 2, output: expect.stringMatching(/set S3_BUCKET/) });
    const badEnv = await run([], { ...env, S3_ENDPOINT: 'not a url' });
    expect(badEnv).toMatchObject({ code: 2, output: expect.stringMatching(/S3_ENDPOINT/) });
    const down = await run([], { ...env, S3_ENDPOINT: 'http://127.0.0.1:9', S3_MAX_ATTEMPTS: '1' });
    expect(down).toMatchObject({ code: 1, output: expect.stringMatching(/not reachable/) });
  });

  it('runs as a command (`npm run storage:migrate`)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        require.resolve('ts-node/dist/bin'),
        '--transpile-only',
        resolve(__dirname, '../src/cli/storage-migrate.ts'),
        '--dry-run',
      ],
      { env: { ...process.env, ...env }, timeout: 60_000 },
    );
    expect(stdout).toMatch(/Dry run: local disk .* → s3 .*bucket/);
    expect(stdout).toMatch(/3 files .*would copy 0, would verify 0, already verified 3, failed 0/);
  });
});

describe('storage:migrate: an installation moves from local disk to S3', () => {
  it('files uploaded on local disk download from the bucket after the migration, byte for byte', async () => {
    const bucket = uniqueBucket();
    const local = await startTestApp({ DOCS_ENABLED: 'false' });
    let moved: Awaited<ReturnType<typeof createHttpApp>> | null = null;
    try {
      const user = await createUser(local, { name: 'Flytt Flyttsson' });
      await activatePro(local, user.organizationId);
      const pdf = await uploadAndWait(local, user, minimalPdf(), 'faktura.pdf');
      const photo = await uploadAndWait(local, user, await jpegWithGps(200, 150), 'kvitto.jpg');

      const migrated = await run(['--json'], s3Env(bucket, { UPLOADS_DIR: local.config.uploadsDir }));
      expect(migrated.code).toBe(0);
      expect(report(migrated.output).counts).toMatchObject({ copied: 4, failed: 0 }); // PDF + 3 image variants

      // The new instance reads the bucket only: its own folder is empty.
      const emptyDir = join(tmpdir(), `${local.databaseName}-empty`);
      const config: AppConfig = {
        ...local.config,
        uploadsDir: emptyDir,
        storage: { driver: 's3', local: { dir: emptyDir }, s3: s3Config(bucket) },
      };
      moved = await createHttpApp(config);
      await moved.init();
      const http = request(moved.getHttpServer());
      for (const [id, variant] of [
        [pdf.id, 'original'],
        [photo.id, 'original'],
        [photo.id, 'thumbnail'],
      ]) {
        const fromLocal = await local.http
          .get(`/api/v1/uploads/${id}/content?variant=${variant}`)
          .set(user.auth)
          .buffer(true)
          .parse(binaryParser)
          .expect(200);
        const fromS3 = await http
          .get(`/api/v1/uploads/${id}/content?variant=${variant}`)
          .set(user.auth)
          .buffer(true)
          .parse(binaryParser)
          .expect(200);
        expect(fromS3.body).toEqual(fromLocal.body);
      }
    } finally {
      await moved?.close();
      await local.close();
      await dropBucket(bucket);
    }
  });
});
