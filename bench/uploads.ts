/**
 * bench/uploads — 12-megapixel JPEGs (noise, so they do not compress to nothing; ~5–6 MB like a phone photo, with
 * GPS in their EXIF) through the whole path: HTTP upload → queue → worker (rotate, strip metadata, WebP ≤ 2048 px,
 * thumbnail ≤ 320 px, metadata-free original) → status `ready` seen by the client; against a bare sharp doing the
 * same image work on the same file in the same run the fastest plain way — decode once, rotated by EXIF and shrunk
 * on load, then a WebP of at most 2048 px (quality 80) and a thumbnail of at most 320 px (quality 70) from those
 * pixels — (medians of BENCH_ROUNDS rounds, alternating). Target: ratio ≤ 1.3×. The textbook two-pipeline version
 * (decoding twice) is timed too, for information only.
 * The inputs alternate between a landscape photo (orientation 1) and the same pixels stored with EXIF orientation 6
 * (a phone held upright): after every round the bench downloads the variants and checks their sizes (compressed
 * 2048 × 1536 resp. 1536 × 2048, thumbnail 320 × 240 resp. 240 × 320), that the picture is upright (a red square
 * stored top-left must show top-left resp. top-right), and that no variant carries GPS — the WebPs no EXIF at all,
 * the original at most its orientation.
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
 * and stopped again. BENCH_ROUNDS (default 6) sets the number of sequential rounds.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { createApp } from '../src/bootstrap';
import { COMPRESSED_MAX_PX, THUMBNAIL_MAX_PX } from '../src/modules/uploads/media/image-processor';
import { loadConfig } from '../src/config/app-config';
import { jobIdFor, JobName, QueueName } from '../src/infrastructure/queue/queue.constants';
import { JobQueue } from '../src/infrastructure/queue/queue.module';
import { redisConnectionFromUrl } from '../src/infrastructure/redis/redis.module';
import type { TestUser } from '../test/helpers/factories';
import type { TestApp } from '../test/helpers/test-app';
import { binaryParser } from '../test/helpers/uploads-api';
import { medianMean as median, services, startApp, withUser, type Services } from './lib/harness';
import { run } from './lib/run';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONCURRENT = 4;
const RATIO_TARGET = 1.3;
const DELAY_TARGET_MS = 50;

/** The config of both shapes (the harness adds database, Redis prefix, secrets, SMTP and the uploads folder). */
const ENV: Record<string, string> = {
  LOG_LEVEL: 'error',
  RATE_LIMIT_USER_PER_MIN: '100000',
  RATE_LIMIT_USER_WRITES_PER_MIN: '100000',
  RATE_LIMIT_AUTH_IP_PER_MIN: '100000',
  RATE_LIMIT_AUTH_EMAIL_PER_MIN: '100000',
};

const WIDTH = 4000;
const HEIGHT = 3000;
const MARK = 400; // side of the red square stored in the top-left corner

/**
 * 4000 × 3000 from quarter-resolution noise (photo-like detail, not compressible to nothing) with a red square in the
 * stored top-left corner, GPS in the EXIF, and the given EXIF orientation (6: shown rotated 90° clockwise).
 */
async function photo(orientation: 1 | 6): Promise<Buffer> {
  const noise = randomBytes((WIDTH / 4) * (HEIGHT / 4) * 3);
  const red = await sharp({
    create: { width: MARK, height: MARK, channels: 3, background: { r: 255, g: 0, b: 0 } },
  })
    .png()
    .toBuffer();
  return sharp(noise, { raw: { width: WIDTH / 4, height: HEIGHT / 4, channels: 3 } })
    .resize(WIDTH, HEIGHT)
    .composite([{ input: red, left: 0, top: 0 }])
    .withExif({ IFD0: { Make: 'Bench' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '57/1 42/1 0/1' } })
    .withMetadata({ orientation })
    .jpeg({ quality: 90 })
    .toBuffer();
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

const inside = (px: number) => ({ width: px, height: px, fit: 'inside' as const, withoutEnlargement: true });

/**
 * The baseline: the same image work without the app, done the fastest plain way — decode once (rotated by EXIF,
 * shrunk on load to ≤ 2048 px), then a WebP ≤ 2048 px (q80) and a thumbnail ≤ 320 px (q70) encoded at once from
 * those pixels.
 */
async function baseline(file: Buffer): Promise<number> {
  const start = process.hrtime.bigint();
  const { data, info } = await sharp(file)
    .rotate()
    .resize(inside(COMPRESSED_MAX_PX))
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = () =>
    sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  await Promise.all([
    pixels().webp({ quality: 80 }).toBuffer(),
    pixels().resize(inside(THUMBNAIL_MAX_PX)).webp({ quality: 70 }).toBuffer(),
  ]);
  return ms(start);
}

/** For information: the textbook way, two pipelines from the file (it decodes twice). */
async function naive(file: Buffer): Promise<number> {
  const start = process.hrtime.bigint();
  const image = sharp(file).rotate();
  await Promise.all([
    image.clone().resize(inside(COMPRESSED_MAX_PX)).webp({ quality: 80 }).toBuffer(),
    image.clone().resize(inside(THUMBNAIL_MAX_PX)).webp({ quality: 70 }).toBuffer(),
  ]);
  return ms(start);
}

/** Mean colour of a 40 × 40 square at (x, y) (extracted to raw pixels: sharp's stats() reads the whole input). */
async function colourAt(image: Buffer, x: number, y: number): Promise<{ r: number; g: number; b: number }> {
  const { data, info } = await sharp(image)
    .extract({ left: x, top: y, width: 40, height: 40 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
  const n = data.length / info.channels;
  return { r: sum[0] / n, g: sum[1] / n, b: sum[2] / n };
}
const isRed = (c: { r: number; g: number; b: number }) => c.r > 200 && c.g < 60 && c.b < 60;

/**
 * What the worker made of one upload: variant sizes, upright (the red square where the orientation puts it), no
 * GPS anywhere, no EXIF in the WebPs. Throws on the first mismatch.
 */
async function checkVariants(t: TestApp, user: TestUser, id: string, orientation: 1 | 6): Promise<void> {
  const download = async (variant: string) =>
    (
      await t.http
        .get(`/api/v1/uploads/${id}/content?variant=${variant}`)
        .set(user.auth)
        .buffer(true)
        .parse(binaryParser)
        .expect(200)
    ).body as Buffer;
  const portrait = orientation === 6;
  const want = {
    compressed: portrait ? [1536, 2048] : [2048, 1536],
    thumbnail: portrait ? [240, 320] : [320, 240],
  };
  for (const variant of ['compressed', 'thumbnail'] as const) {
    const data = await download(variant);
    const meta = await sharp(data).metadata();
    const [w, h] = want[variant];
    if (meta.format !== 'webp' || meta.width !== w || meta.height !== h)
      throw new Error(
        `${variant} of ${id}: ${meta.format} ${meta.width}×${meta.height}, expected webp ${w}×${h}`,
      );
    if (meta.exif || meta.xmp) throw new Error(`${variant} of ${id} carries EXIF/XMP`);
    if (variant === 'compressed') {
      // Orientation 6 shows the stored top-left corner at the top right.
      const markAt = portrait ? { x: w - 60, y: 20 } : { x: 20, y: 20 };
      const other = portrait ? { x: 20, y: 20 } : { x: w - 60, y: 20 };
      if (!isRed(await colourAt(data, markAt.x, markAt.y)) || isRed(await colourAt(data, other.x, other.y)))
        throw new Error(`compressed of ${id} (orientation ${orientation}) is not upright`);
    }
  }
  const original = await sharp(await download('original')).metadata();
  if (original.exif) {
    const exif = exifReader(original.exif);
    if (exif.GPSInfo) throw new Error(`the original of ${id} still has GPS`);
    if (Object.keys(exif.Image ?? {}).some((tag) => tag !== 'Orientation'))
      throw new Error(`the original of ${id} has EXIF beyond its orientation`);
  }
  if ((original.orientation ?? 1) !== orientation)
    throw new Error(`the original of ${id} lost its orientation ${orientation}`);
}

/**
 * POST the file, wait for the worker's job to finish (BullMQ's completion event: waiting costs no CPU, where polling
 * every few ms on a 2-core machine would slow down the very work being measured), then read the upload back once
 * and check it is `ready`. Milliseconds from the first byte sent.
 */
async function fullPath(
  t: TestApp,
  user: TestUser,
  file: Buffer,
  events: QueueEvents,
): Promise<{ ms: number; id: string }> {
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
  return { ms: ms(start), id };
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
  files: Record<1 | 6, Buffer>,
): Promise<{ ratio: number; p99: number }> {
  // Not listening: supertest reaches the app, as the measured path always has.
  const server = await startApp('uploads', {
    role: shape === 'split' ? 'api' : 'all',
    env: ENV,
    services: s,
    listen: false,
  });
  let worker: ChildProcess | null = null;
  let closeEvents: (() => Promise<void>) | undefined;
  try {
    // The worker first: in the split shape it sends the sign-up's verification mail.
    if (shape === 'split') worker = await startWorker(server.env);
    const events = new QueueEvents(QueueName.Uploads, {
      connection: redisConnectionFromUrl(server.config.redis.url),
      prefix: `${server.config.redis.prefix}:bull`,
    });
    closeEvents = () => events.close();
    await events.waitUntilReady();
    const t = await withUser(server);
    const user = t.user;
    await fullPath(t, user, files[1], events); // warm-up: connections, JIT, libvips
    await baseline(files[1]);

    const full: number[] = [];
    const bare: number[] = [];
    const twice: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const orientation = i % 2 === 0 ? 1 : 6;
      bare.push(await baseline(files[orientation]));
      twice.push(await naive(files[orientation]));
      const run = await fullPath(t, user, files[orientation], events);
      full.push(run.ms);
      await checkVariants(t, user, run.id, orientation); // outside the timing
    }
    const ratio = median(full) / median(bare);

    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => fullPath(t, user, files[i % 2 ? 6 : 1], events)),
    );
    const together = ms(started);
    histogram.disable();
    const p99 = histogram.percentile(99) / 1e6;

    const label =
      shape === 'split' ? 'split (api here + worker process)' : 'all (api and worker in one process)';
    console.log(`\n${label}`);
    console.log(
      `  bare sharp: decode once, 2048 + 320 WebP: median ${median(bare).toFixed(0)} ms  [${bare.map((v) => v.toFixed(0)).join(', ')}]`,
    );
    console.log(
      `  (two pipelines, decoding twice:          median ${median(twice).toFixed(0)} ms, for information)`,
    );
    console.log(
      `  full path upload → ready:                 median ${median(full).toFixed(0)} ms  [${full.map((v) => v.toFixed(0)).join(', ')}]`,
    );
    console.log(
      `  ratio full/bare: ${ratio.toFixed(2)}x (target <= ${RATIO_TARGET}x) ${ratio <= RATIO_TARGET ? 'OK' : 'ABOVE TARGET'}`,
    );
    console.log(
      `  variants checked after every round: sizes, upright (orientation 1 and 6), no GPS/EXIF: OK`,
    );
    console.log(`  ${CONCURRENT} uploads at once: all ready after ${together.toFixed(0)} ms`);
    console.log(
      `  API event-loop delay meanwhile: p50 ${(histogram.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(histogram.max / 1e6).toFixed(1)} ms (target p99 < ${DELAY_TARGET_MS} ms) ${p99 < DELAY_TARGET_MS ? 'OK' : 'ABOVE TARGET'}`,
    );
    return { ratio, p99 };
  } finally {
    await closeEvents?.();
    if (worker) await stopWorker(worker);
    await server.close();
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
    const files = { 1: await photo(1), 6: await photo(6) };
    const meta = await sharp(files[1]).metadata();
    console.log(
      `uploads: ${meta.width}×${meta.height} JPEGs (orientation 1 and 6, GPS), ` +
        `${(files[1].length / 1e6).toFixed(1)} MB, ${ROUNDS} rounds; libvips ${sharp.versions.vips}, ${cpus().length} CPUs`,
    );
    const split = await runShape('split', s, files);
    const all = await runShape('all', s, files);
    console.log(
      `\nresult (production shape = split): ratio ${split.ratio.toFixed(2)}x, event-loop p99 ${split.p99.toFixed(1)} ms; ` +
        `single process: ratio ${all.ratio.toFixed(2)}x, p99 ${all.p99.toFixed(1)} ms`,
    );
    process.exitCode = split.ratio <= RATIO_TARGET && split.p99 < DELAY_TARGET_MS ? 0 : 1;
  } finally {
    await s.stop?.();
  }
}

run(process.argv.includes('--worker') ? workerMain : main);
