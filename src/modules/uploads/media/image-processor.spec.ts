import exifReader from 'exif-reader';
import sharp from 'sharp';
import {
  gif,
  heicWithGps,
  heifAv1WithGps,
  jpegWithGps,
  pngClaiming,
  truncatedJpeg,
} from '../../../../test/helpers/upload-fixtures';
import { pngBomb } from '../../../../test/helpers/png-bomb';
import {
  ImageProcessingError,
  inspectImage,
  isUndecodableHeic,
  MAX_FRAMES,
  processImage,
} from './image-processor';

const MAX_PIXELS = 100_000_000;

describe('image processing', () => {
  it('reads displayed dimensions from the header, rotation included', async () => {
    await expect(inspectImage(await jpegWithGps(400, 300, 6), MAX_PIXELS)).resolves.toMatchObject({
      width: 300,
      height: 400,
      orientation: 6,
    });
    await expect(inspectImage(await jpegWithGps(400, 300, 1), MAX_PIXELS)).resolves.toMatchObject({
      width: 400,
      height: 300,
    });
  });

  it('refuses absurd pixel counts from the header alone, and unreadable headers', async () => {
    await expect(inspectImage(pngClaiming(30_000, 30_000), MAX_PIXELS)).rejects.toMatchObject({
      code: 'IMAGE_TOO_MANY_PIXELS',
    });
    await expect(inspectImage(pngClaiming(1_000, 1_000), 999_999)).rejects.toBeInstanceOf(
      ImageProcessingError,
    );
    await expect(inspectImage(pngClaiming(1_000, 1_000), 1_000_000)).resolves.toMatchObject({ width: 1000 });
    await expect(inspectImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), MAX_PIXELS)).rejects.toMatchObject(
      { code: 'IMAGE_UNREADABLE' },
    );
  });

  it('counts every frame of an animation against the pixel limit and refuses more than MAX_FRAMES frames', async () => {
    const animation = async (frames: number, width = 40, height = 30) =>
      sharp(
        await Promise.all(
          Array.from({ length: frames }, (_, i) =>
            sharp({
              create: {
                width,
                height,
                channels: 3,
                background: { r: (i % 2) * 255, g: (i % 3) * 120, b: 9 },
              },
            })
              .png()
              .toBuffer(),
          ),
        ),
        { join: { animated: true } },
      );
    const gif3 = await (await animation(3)).gif().toBuffer();
    await expect(inspectImage(gif3, 3 * 1200)).resolves.toMatchObject({ width: 40, height: 30, pages: 3 });
    await expect(inspectImage(gif3, 3 * 1200 - 1)).rejects.toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS' });
    const webp3 = await (await animation(3)).webp().toBuffer();
    await expect(inspectImage(webp3, 3 * 1200 - 1)).rejects.toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS' });
    const long = await (await animation(MAX_FRAMES + 1, 2, 2)).gif().toBuffer();
    await expect(inspectImage(long, MAX_PIXELS)).rejects.toMatchObject({ code: 'IMAGE_TOO_MANY_FRAMES' });
    const atCap = await (await animation(MAX_FRAMES, 2, 2)).gif().toBuffer();
    await expect(inspectImage(atCap, MAX_PIXELS)).resolves.toMatchObject({ pages: MAX_FRAMES });
  });

  it('refuses a real (decodable) PNG bomb from its header, in far less memory than a decode', async () => {
    const bomb = await pngBomb(30_000, 30_000);
    const before = process.memoryUsage.rss();
    await expect(processImage(bomb, 'png', 50_000_000)).rejects.toMatchObject({
      code: 'IMAGE_TOO_MANY_PIXELS',
    });
    expect(process.memoryUsage.rss() - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('makes a WebP ≤ 2048 px and a thumbnail ≤ 320 px, upright, and a lossless metadata-free original', async () => {
    const input = await jpegWithGps(3000, 2000, 6);
    const result = await processImage(input, 'jpeg', MAX_PIXELS);
    expect(result).toMatchObject({ width: 2000, height: 3000, note: null });
    expect(result.compressed).toMatchObject({ mimeType: 'image/webp', width: 1365, height: 2048 });
    expect(result.thumbnail).toMatchObject({ mimeType: 'image/webp', width: 213, height: 320 });
    const compressed = await sharp(result.compressed?.data).metadata();
    expect([compressed.format, compressed.width, compressed.height, compressed.exif]).toEqual([
      'webp',
      1365,
      2048,
      undefined,
    ]);
    expect(result.original).toMatchObject({ mimeType: 'image/jpeg', reencoded: false });
    const exif = exifReader((await sharp(result.original.data).metadata()).exif as Buffer);
    expect(exif.Image).toEqual({ Orientation: 6 });
    expect(exif.GPSInfo).toBeUndefined();
  });

  it('does not enlarge small images', async () => {
    const result = await processImage(await gif(), 'gif', MAX_PIXELS);
    expect(result.compressed).toMatchObject({ width: 64, height: 48 });
    expect(result.thumbnail).toMatchObject({ width: 64, height: 48 });
  });

  it('keeps an HEVC HEIC as its original only, with a note; AV1 under a HEIF brand is converted', async () => {
    const heic = await heicWithGps();
    expect(isUndecodableHeic('heic', heic)).toBe(true);
    const result = await processImage(heic, 'heic', MAX_PIXELS);
    expect(result).toMatchObject({
      compressed: null,
      thumbnail: null,
      note: 'HEIC_NOT_CONVERTED',
      width: 64,
      height: 48,
    });
    expect((await sharp(result.original.data).metadata()).exif).toBeUndefined();

    const av1 = await heifAv1WithGps();
    expect(isUndecodableHeic('heif', av1)).toBe(false);
    const converted = await processImage(av1, 'heif', MAX_PIXELS);
    expect(converted.compressed).toMatchObject({ width: 64, height: 48 });
    expect((await sharp(converted.original.data).metadata()).exif).toBeUndefined();
  });

  it('a broken image is a permanent IMAGE_DECODE_FAILED', async () => {
    await expect(processImage(await truncatedJpeg(), 'jpeg', MAX_PIXELS)).rejects.toMatchObject({
      code: 'IMAGE_DECODE_FAILED',
    });
  });

  it('re-encodes a PNG original upright when its orientation lives in EXIF (PNG has no other place for it)', async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: 'red' } })
      .withExif({ IFD0: { Make: 'Cam' } })
      .withMetadata({ orientation: 6 })
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).orientation).toBe(6);
    const result = await processImage(png, 'png', MAX_PIXELS);
    expect(result.original).toMatchObject({ mimeType: 'image/png', reencoded: true });
    const original = await sharp(result.original.data).metadata();
    expect([original.width, original.height, original.exif, original.orientation]).toEqual([
      10,
      20,
      undefined,
      undefined,
    ]);
  });
});
