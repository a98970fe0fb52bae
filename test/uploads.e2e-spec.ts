import exifReader from 'exif-reader';
import type Redis from 'ioredis';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { jobIdFor, JobName, QueueName } from '../src/infrastructure/queue/queue.constants';
import { JobQueue } from '../src/infrastructure/queue/queue.module';
import { REDIS } from '../src/infrastructure/redis/redis.module';
import { UploadStorage } from '../src/modules/uploads/uploads.storage';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { pngBomb } from './helpers/png-bomb';
import { startTestApp, type TestApp } from './helpers/test-app';
import {
  avifWithGps,
  elfExecutable,
  gif,
  gpsOf,
  heicWithGps,
  heifAv1WithGps,
  jpegWithGps,
  metadataOf,
  minimalPdf,
  pngClaiming,
  pngWithGps,
  truncatedJpeg,
  webpWithGps,
} from './helpers/upload-fixtures';
import {
  getContent,
  postUpload,
  uploadAndWait,
  waitForUpload,
  withoutRequestId,
  type UploadBody,
} from './helpers/uploads-api';

/** Small on purpose, so the 413 case needs only a small body. Every other fixture is far below it. */
const MAX_BYTES = 256 * 1024;

describe('uploads', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
    [alice, bob] = await Promise.all([
      createUser(t, { name: 'Alice Andersson' }),
      createUser(t, { name: 'Bob Berg' }),
    ]);
    await activatePro(t, alice.organizationId);
    await activatePro(t, bob.organizationId);
  });
  afterAll(async () => {
    await t.close();
  });

  const files = async (folder: string): Promise<string[]> => {
    try {
      return (await readdir(join(t.config.uploadsDir, folder))).sort();
    } catch {
      return [];
    }
  };

  describe('accepted types, decided from the bytes', () => {
    const cases: Array<{
      label: string;
      make: () => Promise<Buffer> | Buffer;
      name: string;
      mimeType: string;
      variants: string[];
    }> = [
      {
        label: 'JPEG',
        make: () => jpegWithGps(64, 48),
        name: 'photo.jpg',
        mimeType: 'image/jpeg',
        variants: ['compressed', 'original', 'thumbnail'],
      },
      {
        label: 'PNG',
        make: () => pngWithGps(),
        name: 'scan.png',
        mimeType: 'image/png',
        variants: ['compressed', 'original', 'thumbnail'],
      },
      {
        label: 'WebP',
        make: () => webpWithGps(),
        name: 'bild.webp',
        mimeType: 'image/webp',
        variants: ['compressed', 'original', 'thumbnail'],
      },
      {
        label: 'GIF',
        make: () => gif(),
        name: 'anim.gif',
        mimeType: 'image/gif',
        variants: ['compressed', 'original', 'thumbnail'],
      },
      {
        label: 'AVIF',
        make: () => avifWithGps(),
        name: 'foto.avif',
        mimeType: 'image/avif',
        variants: ['compressed', 'original', 'thumbnail'],
      },
      {
        label: 'HEIF (AV1, mif1 brand)',
        make: () => heifAv1WithGps(),
        name: 'foto.heif',
        mimeType: 'image/heif',
        variants: ['compressed', 'original', 'thumbnail'],
      },
      {
        label: 'HEIC (HEVC)',
        make: () => heicWithGps(),
        name: 'IMG_0001.HEIC',
        mimeType: 'image/heic',
        variants: ['original'],
      },
      {
        label: 'PDF',
        make: () => minimalPdf(),
        name: 'faktura.pdf',
        mimeType: 'application/pdf',
        variants: ['original'],
      },
    ];

    it.each(cases)(
      '$label → $mimeType with variants $variants',
      async ({ make, name, mimeType, variants }) => {
        const bytes = await make();
        const created = await postUpload(t, alice, bytes, name);
        const body = created.body as UploadBody;
        expect(body).toMatchObject({
          id: expect.stringMatching(/^A\d{6,}$/),
          name,
          mimeType,
          size: bytes.length,
          recordId: null,
          uploadedBy: alice.id,
        });
        if (mimeType === 'application/pdf') {
          expect(body).toMatchObject({ kind: 'document', status: 'ready', width: null, height: null });
        } else {
          expect(body).toMatchObject({ kind: 'image', status: 'processing', width: 64, height: 48 });
        }
        const done = await waitForUpload(t, alice, body.id);
        expect(done.status).toBe('ready');
        expect(Object.keys(done.variants).sort()).toEqual(variants);
        const original = await getContent(t, alice, body.id, 'original');
        expect(original.headers['content-type']).toBe(mimeType);
        expect(original.body.length).toBe(done.variants.original.size);
        if (variants.includes('compressed')) {
          const compressed = await getContent(t, alice, body.id, 'compressed');
          expect(compressed.headers['content-type']).toBe('image/webp');
          expect((await sharp(compressed.body as Buffer).metadata()).format).toBe('webp');
        }
        // Stored under UPLOADS_DIR/{own id}/ with names made of the id only — never the client's name.
        const stored = await files(body.id);
        expect(stored).toEqual(
          variants.map((v) => `${body.id}.${v === 'original' ? 'original' : `${v}.webp`}`).sort(),
        );
      },
    );

    it('HEIC (HEVC) is kept as its metadata-free original only, with a note', async () => {
      const heic = await heicWithGps();
      expect(await gpsOf(heic)).not.toBeNull();
      expect((await metadataOf(heic)).xmp).not.toBeNull();
      const done = await uploadAndWait(t, alice, heic, 'IMG_0002.heic');
      expect(done).toMatchObject({ status: 'ready', note: 'HEIC_NOT_CONVERTED', width: 64, height: 48 });
      const original = await getContent(t, alice, done.id, 'original');
      expect(original.body.length).toBe(heic.length); // zeroed in place, nothing moved
      expect(await metadataOf(original.body as Buffer)).toMatchObject({ exif: null, xmp: null });
      const missing = await getContent(t, alice, done.id, 'compressed', { expect: 404 });
      expect(JSON.parse((missing.body as Buffer).toString())).toMatchObject({
        code: 'VARIANT_NOT_AVAILABLE',
      });
    });

    it('a .jpg name with PDF bytes is a PDF (and downloads as .pdf)', async () => {
      const created = await postUpload(t, alice, minimalPdf(), 'kvitto.jpg');
      expect(created.body).toMatchObject({
        name: 'kvitto.jpg',
        mimeType: 'application/pdf',
        kind: 'document',
        status: 'ready',
      });
      const content = await getContent(t, alice, (created.body as UploadBody).id);
      expect(content.headers['content-type']).toBe('application/pdf');
      expect(content.headers['content-disposition']).toContain("filename*=UTF-8''kvitto.pdf");
      expect((content.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('an executable renamed .png → 415, nothing stored', async () => {
      const before = await readdir(t.config.uploadsDir).catch(() => []);
      const res = await postUpload(t, alice, elfExecutable(), 'innocent.png', { expect: 415 });
      expect(res.body).toMatchObject({
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        details: { accepted: expect.arrayContaining(['image/jpeg', 'application/pdf']) },
      });
      expect(await readdir(t.config.uploadsDir).catch(() => [])).toEqual(before);
    });

    it('a file over UPLOAD_MAX_BYTES → 413', async () => {
      const big = Buffer.concat([await jpegWithGps(32, 32), Buffer.alloc(MAX_BYTES + 1)]);
      const res = await postUpload(t, alice, big, 'huge.jpg', { expect: 413 });
      expect(res.body).toMatchObject({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        requestId: expect.any(String),
      });
    });

    it('an image claiming absurd pixel counts → 422 before anything is queued', async () => {
      const res = await postUpload(t, alice, pngClaiming(30_000, 30_000), 'bomb.png', { expect: 422 });
      expect(res.body).toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS' });
    });

    it('a request without a file, or with unknown fields → 400', async () => {
      const none = await t.http
        .post('/api/v1/uploads')
        .set(alice.auth)
        .field('recordId', alice.organizationId)
        .expect(400);
      expect(none.body).toMatchObject({ code: 'FILE_REQUIRED' });
      const extra = await t.http
        .post('/api/v1/uploads')
        .set(alice.auth)
        .attach('file', minimalPdf(), 'a.pdf')
        .field('colour', 'blue')
        .expect(400);
      expect(extra.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('an image whose data is broken ends as failed with a reason', async () => {
      const created = await postUpload(t, alice, await truncatedJpeg(), 'broken.jpg');
      const done = await waitForUpload(t, alice, (created.body as UploadBody).id);
      expect(done).toMatchObject({
        status: 'failed',
        failure: { code: 'IMAGE_DECODE_FAILED', message: expect.any(String) },
        variants: {},
      });
      const res = await getContent(t, alice, done.id, 'original', { expect: 409 });
      expect(JSON.parse((res.body as Buffer).toString())).toMatchObject({ code: 'UPLOAD_FAILED' });
      expect(await files(done.id)).toEqual([]); // the received bytes are not kept
    });
  });

  describe('an image stuck in processing', () => {
    it('gets its job back when someone looks at it (the API died between storing and enqueuing)', async () => {
      const id = await t.app.get(GlobalIdService).getNextGlobalId();
      const bytes = await jpegWithGps(64, 48);
      await t.app.get(UploadStorage).write({ _id: id, folder: id }, 'incoming', bytes);
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
      await t.db.collection('uploads').insertOne({
        _id: id as never,
        organizationId: alice.organizationId,
        recordId: null,
        recordType: null,
        folder: id,
        name: 'stuck.jpg',
        format: 'jpeg',
        mimeType: 'image/jpeg',
        kind: 'image',
        size: bytes.length,
        status: 'processing',
        width: 64,
        height: 48,
        variants: {},
        failure: null,
        note: null,
        uploadedBy: alice.id,
        isDeleted: false,
        deletedAt: null,
        deletedBy: null,
        createdAt: tenMinutesAgo,
        updatedAt: tenMinutesAgo,
      });
      const queue = t.app.get(JobQueue).queue(QueueName.Uploads);
      expect(await queue.getJob(jobIdFor(JobName.ProcessUpload, id))).toBeUndefined();
      const done = await waitForUpload(t, alice, id);
      expect(done).toMatchObject({ status: 'ready', variants: { thumbnail: expect.any(Object) } });
      expect(await files(id)).toEqual([`${id}.compressed.webp`, `${id}.original`, `${id}.thumbnail.webp`]);
    });
  });

  describe('decompression bombs and animations (the worker decodes in this process: APP_ROLE=all)', () => {
    const MB = 1024 * 1024;
    /** Largest RSS of this process while `work` runs, sampled every 2 ms (libvips decodes on its own threads). */
    async function peakRss<R>(work: () => Promise<R>): Promise<{ result: R; before: number; peak: number }> {
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage.rss();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
      try {
        const result = await work();
        peak = Math.max(peak, process.memoryUsage.rss());
        return { result, before, peak };
      } finally {
        clearInterval(sampler);
      }
    }
    // Decoding the bomb would take ≥ 900 MB (30 000 × 30 000 at one byte per pixel); what the test allows for
    // HTTP, Mongo and jest noise is far below even a single 50 MP frame (50 MB at one byte per pixel).
    const ALLOWED_GROWTH = 40 * MB;

    it('a valid 110 kB PNG declaring 30 000 × 30 000 is refused from its header: 422, nothing stored, RSS flat', async () => {
      const bomb = await pngBomb(30_000, 30_000);
      expect(bomb.length).toBeLessThan(MAX_BYTES);
      const {
        result: res,
        before,
        peak,
      } = await peakRss(() => postUpload(t, alice, bomb, 'bomb.png', { expect: 422 }));
      expect(res.body).toEqual({
        statusCode: 422,
        code: 'IMAGE_TOO_MANY_PIXELS',
        message: expect.stringContaining('900000000 pixels'),
        requestId: expect.any(String),
      });
      process.stdout.write(
        `[bomb via API] RSS before ${(before / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, ` +
          `growth ${((peak - before) / MB).toFixed(1)} MB\n`,
      );
      expect(peak - before).toBeLessThan(ALLOWED_GROWTH);

      // 100 MP was the old default limit: such a file was decoded by the worker. The default is now 50 MP.
      expect(t.config.uploads.maxPixels).toBe(50_000_000);
      const old = await postUpload(t, alice, await pngBomb(10_000, 10_000), 'bomb100.png', { expect: 422 });
      expect(old.body).toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS' });
    });

    it('a bomb that reaches the worker anyway (queued before the limit was lowered) fails at once from its header', async () => {
      const bomb = await pngBomb(30_000, 30_000);
      const id = await t.app.get(GlobalIdService).getNextGlobalId();
      await t.app.get(UploadStorage).write({ _id: id, folder: id }, 'incoming', bomb);
      const now = new Date();
      await t.db.collection('uploads').insertOne({
        _id: id as never,
        organizationId: alice.organizationId,
        recordId: null,
        recordType: null,
        folder: id,
        name: 'bomb.png',
        format: 'png',
        mimeType: 'image/png',
        kind: 'image',
        size: bomb.length,
        status: 'processing',
        width: 30_000,
        height: 30_000,
        variants: {},
        failure: null,
        note: null,
        uploadedBy: alice.id,
        isDeleted: false,
        deletedAt: null,
        deletedBy: null,
        createdAt: now,
        updatedAt: now,
      });
      const {
        result: done,
        before,
        peak,
      } = await peakRss(async () => {
        await t.app
          .get(JobQueue)
          .add(
            JobName.ProcessUpload,
            { organizationId: alice.organizationId, uploadId: id },
            { jobId: jobIdFor(JobName.ProcessUpload, id) },
          );
        return waitForUpload(t, alice, id);
      });
      expect(done).toMatchObject({
        status: 'failed',
        failure: { code: 'IMAGE_TOO_MANY_PIXELS', message: expect.stringContaining('900000000') },
        variants: {},
      });
      const content = await getContent(t, alice, id, 'original', { expect: 409 });
      expect(JSON.parse((content.body as Buffer).toString())).toMatchObject({
        statusCode: 409,
        code: 'UPLOAD_FAILED',
        requestId: expect.any(String),
      });
      expect(await files(id)).toEqual([]);
      process.stdout.write(
        `[bomb in the worker] RSS before ${(before / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, ` +
          `growth ${((peak - before) / MB).toFixed(1)} MB\n`,
      );
      expect(peak - before).toBeLessThan(ALLOWED_GROWTH);
    });

    it('an animation over 300 frames → 422 IMAGE_TOO_MANY_FRAMES; a short one keeps its animation, variants show frame 1', async () => {
      const frames = (n: number) =>
        Promise.all(
          Array.from({ length: n }, (_, i) =>
            sharp({
              create: {
                width: 8,
                height: 6,
                channels: 3,
                background: { r: (i % 2) * 255, g: (i % 3) * 120, b: 0 },
              },
            })
              .png()
              .toBuffer(),
          ),
        );
      const long = await sharp(await frames(301), { join: { animated: true } })
        .gif()
        .toBuffer();
      const refused = await postUpload(t, alice, long, 'lang.gif', { expect: 422 });
      expect(refused.body).toEqual({
        statusCode: 422,
        code: 'IMAGE_TOO_MANY_FRAMES',
        message: expect.stringContaining('301 frames'),
        requestId: expect.any(String),
      });

      const short = await sharp(await frames(3), { join: { animated: true } })
        .gif()
        .toBuffer();
      const done = await uploadAndWait(t, alice, short, 'kort.gif');
      expect(done).toMatchObject({ status: 'ready', width: 8, height: 6 });
      const original = await getContent(t, alice, done.id, 'original');
      expect((await sharp(original.body as Buffer).metadata()).pages).toBe(3);
      const compressed = await getContent(t, alice, done.id, 'compressed');
      const variant = await sharp(compressed.body as Buffer).metadata();
      expect([variant.format, variant.pages ?? 1, variant.width, variant.height]).toEqual(['webp', 1, 8, 6]);
    });
  });

  describe('image processing', () => {
    it('removes GPS from every variant, the original included (which keeps only its orientation)', async () => {
      const input = await jpegWithGps(400, 300, 6);
      expect(await gpsOf(input)).toMatchObject({ GPSLatitudeRef: 'N', GPSLatitude: [57, 42, 0] });
      const done = await uploadAndWait(t, alice, input, 'semester.jpg');
      for (const variant of ['original', 'compressed', 'thumbnail']) {
        const res = await getContent(t, alice, done.id, variant);
        expect(await gpsOf(res.body as Buffer)).toBeNull();
        const meta = await metadataOf(res.body as Buffer);
        expect(meta.xmp).toBeNull();
        expect(meta.iptc).toBeNull();
      }
      const original = (await getContent(t, alice, done.id, 'original')).body as Buffer;
      const exif = exifReader((await metadataOf(original)).exif as Buffer);
      expect(exif.Image).toEqual({ Orientation: 6 }); // no camera make/model either
      expect(exif.GPSInfo).toBeUndefined();
      // Lossless: the same pixels as the upload.
      expect((await sharp(original).raw().toBuffer()).equals(await sharp(input).raw().toBuffer())).toBe(true);
    });

    it('PNG, WebP and AVIF originals lose their GPS too', async () => {
      for (const [bytes, name] of [
        [await pngWithGps(), 'a.png'],
        [await webpWithGps(), 'b.webp'],
        [await avifWithGps(), 'c.avif'],
      ] as const) {
        expect(await gpsOf(bytes)).not.toBeNull();
        const done = await uploadAndWait(t, alice, bytes, name);
        expect(await gpsOf((await getContent(t, alice, done.id, 'original')).body as Buffer)).toBeNull();
      }
    });

    it('rotates by EXIF; compressed at most 2048 px and thumbnail at most 320 px on the longest side', async () => {
      const rotated = await uploadAndWait(t, alice, await jpegWithGps(400, 300, 6), 'portrait.jpg');
      expect(rotated).toMatchObject({ width: 300, height: 400 });
      expect(rotated.variants.compressed).toMatchObject({ width: 300, height: 400, mimeType: 'image/webp' });
      expect(rotated.variants.thumbnail).toMatchObject({ width: 240, height: 320, mimeType: 'image/webp' });
      const thumb = await sharp(
        (await getContent(t, alice, rotated.id, 'thumbnail')).body as Buffer,
      ).metadata();
      expect([thumb.width, thumb.height]).toEqual([240, 320]);

      const wide = await uploadAndWait(t, alice, await jpegWithGps(3000, 1000), 'panorama.jpg');
      const compressed = await sharp(
        (await getContent(t, alice, wide.id, 'compressed')).body as Buffer,
      ).metadata();
      expect([compressed.width, compressed.height]).toEqual([2048, 683]);
      const thumbnail = await sharp(
        (await getContent(t, alice, wide.id, 'thumbnail')).body as Buffer,
      ).metadata();
      expect([thumbnail.width, thumbnail.height]).toEqual([320, 107]);
      expect(wide.variants.thumbnail).toMatchObject({ width: 320, height: 107 });
    });
  });

  describe('content', () => {
    it('streams with Content-Type, a safe Content-Disposition, ETag/304 and private caching', async () => {
      const done = await uploadAndWait(t, alice, await jpegWithGps(), 'Kvitto "ICA" åäö\u202e.jpg');
      expect(done.name).toBe('Kvitto "ICA" åäö.jpg'); // the bidi override is gone
      const res = await getContent(t, alice, done.id, 'original');
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['content-disposition']).toBe(
        'inline; filename="Kvitto _ICA_ ___.jpg"; filename*=UTF-8\'\'Kvitto%20%22ICA%22%20%C3%A5%C3%A4%C3%B6.jpg',
      );
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
      expect(Number(res.headers['content-length'])).toBe((res.body as Buffer).length);

      const again = await getContent(t, alice, done.id, 'original', {
        expect: 304,
        headers: { 'If-None-Match': res.headers.etag },
      });
      expect((again.body as Buffer).length).toBe(0);
      expect(again.headers.etag).toBe(res.headers.etag);
      await getContent(t, alice, done.id, 'original', {
        expect: 200,
        headers: { 'If-None-Match': '"something-else"' },
      });

      const thumb = await getContent(t, alice, done.id, 'thumbnail');
      expect(thumb.headers['content-disposition']).toContain(
        "filename*=UTF-8''Kvitto%20%22ICA%22%20%C3%A5%C3%A4%C3%B6-thumbnail.webp",
      );
      expect(thumb.headers.etag).not.toBe(res.headers.etag);
      await getContent(t, alice, done.id, 'poster', { expect: 400 });
    });

    it('caches metadata in Redis and drops it when the file changes', async () => {
      const done = await uploadAndWait(t, alice, minimalPdf(), 'cache.pdf');
      const key = `uploads:meta:${alice.organizationId}:${done.id}`;
      const redis = t.app.get<Redis>(REDIS);
      await getContent(t, alice, done.id);
      expect(JSON.parse((await redis.get(key)) as string)).toMatchObject({
        doc: { _id: done.id, status: 'ready' },
      });
      await t.http.delete(`/api/v1/uploads/${done.id}`).set(alice.auth).expect(200);
      expect(await redis.get(key)).toBeNull();
      await getContent(t, alice, done.id, 'original', { expect: 404 });
    });
  });

  describe('attaching to records', () => {
    it('attaches to the organization and to another upload; lists by recordId; stores under uploads/{recordId}/', async () => {
      const parent = await uploadAndWait(t, alice, minimalPdf(), 'avtal.pdf');
      const child = await uploadAndWait(t, alice, await jpegWithGps(), 'bilaga.jpg', { recordId: parent.id });
      expect(child).toMatchObject({ recordId: parent.id, recordType: 'upload' });
      const orgFile = await uploadAndWait(t, alice, minimalPdf(), 'stadgar.pdf', {
        recordId: alice.organizationId,
      });
      expect(orgFile).toMatchObject({ recordId: alice.organizationId, recordType: 'organization' });

      expect(await files(parent.id)).toEqual(
        [
          `${child.id}.compressed.webp`,
          `${child.id}.original`,
          `${child.id}.thumbnail.webp`,
          `${parent.id}.original`,
        ].sort(),
      );
      expect(await files(alice.organizationId)).toEqual([`${orgFile.id}.original`]);

      const listed = await t.http.get(`/api/v1/uploads?recordId=${parent.id}`).set(alice.auth).expect(200);
      expect(listed.body).toEqual({ items: [expect.objectContaining({ id: child.id })], nextCursor: null });
      const page = await t.http.get('/api/v1/uploads?limit=2').set(alice.auth).expect(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.items[0].id).toBe(orgFile.id); // newest first
      expect(page.body.nextCursor).toEqual(expect.any(String));
    });

    it('refuses a record that does not exist, or is not in this organization', async () => {
      const res = await postUpload(t, alice, minimalPdf(), 'x.pdf', { recordId: 'A999999', expect: 404 });
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'record' } });
      await postUpload(t, alice, minimalPdf(), 'x.pdf', { recordId: bob.organizationId, expect: 404 });
      const bad = await postUpload(t, alice, minimalPdf(), 'x.pdf', { recordId: '../etc', expect: 400 });
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });

  describe('read-only accounts', () => {
    it('an organization without an active plan cannot upload or delete (403 ACCOUNT_READ_ONLY), but still reads', async () => {
      const carol = await createUser(t, { name: 'Carol Gratis' }); // signed up: free plan, read-only
      const refused = await postUpload(t, carol, await jpegWithGps(64, 48), 'gratis.jpg', { expect: 403 });
      expect(refused.body).toMatchObject({ statusCode: 403, code: 'ACCOUNT_READ_ONLY' });
      expect(await files(carol.organizationId)).toEqual([]);
      await t.http.get('/api/v1/uploads').set(carol.auth).expect(200);
      await t.http.post('/api/v1/trash/empty').set(carol.auth).expect(403);
      await t.http.get('/api/v1/trash').set(carol.auth).expect(200);
    });
  });

  describe('organization B cannot read or write organization A', () => {
    it('another organization’s file id is the same 404 as a missing one: metadata, content, list, delete, attach', async () => {
      const mine = await uploadAndWait(t, alice, await jpegWithGps(), 'privat.jpg');
      const missing = await t.http.get('/api/v1/uploads/A999999').set(bob.auth).expect(404);
      const foreign = await t.http.get(`/api/v1/uploads/${mine.id}`).set(bob.auth).expect(404);
      expect(withoutRequestId(foreign)).toEqual(withoutRequestId(missing));
      for (const variant of ['original', 'compressed', 'thumbnail']) {
        const res = await getContent(t, bob, mine.id, variant, { expect: 404 });
        expect(JSON.parse((res.body as Buffer).toString())).toMatchObject({
          code: 'NOT_FOUND',
          details: { type: 'upload' },
        });
      }
      await t.http.delete(`/api/v1/uploads/${mine.id}`).set(bob.auth).expect(404);
      await postUpload(t, bob, minimalPdf(), 'x.pdf', { recordId: mine.id, expect: 404 });
      const list = await t.http.get('/api/v1/uploads').set(bob.auth).expect(200);
      expect(list.body.items.map((u: UploadBody) => u.id)).not.toContain(mine.id);
      // Naming A's organization in the header does not help either.
      await t.http
        .get(`/api/v1/uploads/${mine.id}`)
        .set(bob.auth)
        .set('X-Organization-Id', alice.organizationId)
        .expect(404);
      // A still has it.
      await getContent(t, alice, mine.id, 'original');
    });
  });
});
