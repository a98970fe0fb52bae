import exifReader from 'exif-reader';
import sharp from 'sharp';
import { GPS_EXIF, heicWithGps, XMP_PACKET } from '../../../../test/helpers/upload-fixtures';
import { heifCodec } from './heif';
import {
  orientationExifSegment,
  StripError,
  stripGif,
  stripHeif,
  stripJpeg,
  stripPng,
  stripWebp,
} from './strip-metadata';

/** What libvips finds in a file: the proof that matters, since it is what every later reader sees too. */
async function metadata(file: Buffer) {
  const m = await sharp(file).metadata();
  return {
    exif: m.exif ?? null,
    xmp: m.xmp ?? null,
    iptc: m.iptc ?? null,
    icc: m.icc ?? null,
    orientation: m.orientation,
  };
}

const pixels = (file: Buffer) => sharp(file).raw().toBuffer();

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

/** Two 16×16 frames joined into one animated image. */
async function twoFrames() {
  const frame = (background: string) =>
    sharp({ create: { width: 16, height: 16, channels: 3, background } })
      .png()
      .toBuffer();
  return sharp([await frame('red'), await frame('blue')], { join: { animated: true } });
}

const image = (width = 48, height = 32) =>
  sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } });

describe('stripJpeg', () => {
  it('drops EXIF (GPS), XMP, IPTC, comments and a trailing secondary image; keeps pixels, ICC and orientation', async () => {
    const base = await image()
      .withExif(GPS_EXIF)
      .withXmp(XMP_PACKET)
      .withIccProfile('p3')
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const secondary = await image(8, 8).withExif(GPS_EXIF).jpeg().toBuffer(); // like an MPF depth map after EOI
    const withExtras = Buffer.concat([
      base.subarray(0, 2),
      segment(0xfe, Buffer.from('shot at Storgatan 1, Göteborg')),
      segment(
        0xed,
        Buffer.from('Photoshop 3.0\u00008BIM\u0004\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'),
      ),
      base.subarray(2),
      secondary,
    ]);
    const before = await metadata(withExtras);
    expect(before.xmp).not.toBeNull();
    expect(exifReader(before.exif as Buffer).GPSInfo).toBeDefined();

    const out = stripJpeg(withExtras, 6);
    const after = await metadata(out);
    expect(exifReader(after.exif as Buffer)).toMatchObject({ Image: { Orientation: 6 } });
    expect(exifReader(after.exif as Buffer).GPSInfo).toBeUndefined();
    expect(after.xmp).toBeNull();
    expect(after.iptc).toBeNull();
    expect(after.icc).not.toBeNull();
    expect(out.includes(Buffer.from('Storgatan'))).toBe(false);
    expect(out.includes(Buffer.from('WestWallet Test Camera'))).toBe(false); // not even in the secondary image
    expect(out.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(true);
    expect((await pixels(out)).equals(await pixels(base))).toBe(true);
  });

  it('writes no EXIF at all for orientation 1, and handles progressive scans', async () => {
    for (const options of [{ progressive: true }, { progressive: false, optimiseScans: false }]) {
      const input = await image(200, 120).withExif(GPS_EXIF).jpeg(options).toBuffer();
      const out = stripJpeg(input, 1);
      expect((await metadata(out)).exif).toBeNull();
      expect((await pixels(out)).equals(await pixels(input))).toBe(true);
    }
  });

  it('reads scan data past byte stuffing (FF00) and restart markers (FFD0–FFD7) up to the real marker', () => {
    const scanHeader = segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0]));
    const entropy = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd7, 0x78]);
    const file = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xdb, Buffer.alloc(65)),
      scanHeader,
      entropy,
      Buffer.from([0xff, 0xd9]),
    ]);
    expect(stripJpeg(file).equals(file)).toBe(true);
    const withComment = Buffer.concat([
      file.subarray(0, 2),
      segment(0xfe, Buffer.from('hi')),
      file.subarray(2),
    ]);
    expect(stripJpeg(withComment).equals(file)).toBe(true);
  });

  it('writes a one-tag EXIF (26-byte TIFF) for the orientation', () => {
    const exif = exifReader(orientationExifSegment(8).subarray(10));
    expect(exif).toMatchObject({ bigEndian: true, Image: { Orientation: 8 } });
    expect(orientationExifSegment(8)).toHaveLength(36);
  });

  it('throws StripError on a broken structure (so the caller re-encodes instead)', async () => {
    const input = await image().jpeg().toBuffer();
    expect(() => stripJpeg(Buffer.from('not a jpeg'))).toThrow(StripError);
    expect(() => stripJpeg(input.subarray(0, input.length - 40))).toThrow(StripError); // no EOI
    const overrun = Buffer.from(input);
    overrun.writeUInt16BE(0xfff0, 4); // first segment claims more bytes than the file has
    expect(() => stripJpeg(overrun)).toThrow(StripError);
  });
});

describe('stripPng', () => {
  it('drops eXIf and text chunks, keeps the pixels and the colour profile', async () => {
    const input = await image().withExif(GPS_EXIF).withXmp(XMP_PACKET).withIccProfile('p3').png().toBuffer();
    const before = await metadata(input);
    expect(before.exif).not.toBeNull();
    expect(before.xmp).not.toBeNull();
    const out = stripPng(input);
    const after = await metadata(out);
    expect(after).toMatchObject({ exif: null, xmp: null });
    expect(after.icc).not.toBeNull();
    expect((await pixels(out)).equals(await pixels(input))).toBe(true);
  });

  it('refuses unknown critical chunks and truncated files', async () => {
    const input = await image().png().toBuffer();
    const unknownCritical = Buffer.concat([
      input.subarray(0, 33),
      Buffer.from([0, 0, 0, 0, 0x58, 0x58, 0x58, 0x58, 0, 0, 0, 0]),
      input.subarray(33),
    ]);
    expect(() => stripPng(unknownCritical)).toThrow(StripError);
    expect(() => stripPng(input.subarray(0, input.length - 12))).toThrow(StripError);
  });
});

describe('stripWebp', () => {
  it('drops EXIF and XMP chunks and clears their VP8X flags; keeps pixels and ICC', async () => {
    const input = await image()
      .withExif(GPS_EXIF)
      .withXmp(XMP_PACKET)
      .withIccProfile('p3')
      .webp({ lossless: true })
      .toBuffer();
    expect((await metadata(input)).exif).not.toBeNull();
    const out = stripWebp(input);
    const after = await metadata(out);
    expect(after).toMatchObject({ exif: null, xmp: null });
    expect(after.icc).not.toBeNull();
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    const vp8x = out.indexOf('VP8X');
    expect(out[vp8x + 8] & 0x0c).toBe(0);
    expect((await pixels(out)).equals(await pixels(input))).toBe(true);
  });

  it('keeps animation frames', async () => {
    const animated = await twoFrames().then((frames) =>
      frames
        .withExif(GPS_EXIF)
        .webp({ loop: 0, delay: [100, 100] })
        .toBuffer(),
    );
    const out = stripWebp(animated);
    const meta = await sharp(out, { animated: true }).metadata();
    expect(meta.pages).toBe(2);
    expect(meta.exif).toBeUndefined();
  });
});

describe('stripGif', () => {
  it('drops comments and XMP application blocks, keeps frames and the loop block', async () => {
    const animated = await (await twoFrames()).gif({ loop: 3 }).toBuffer();
    // Insert a comment extension and an XMP application extension before the first image.
    const firstImage = animated.indexOf(0x2c, 13);
    const comment = Buffer.concat([
      Buffer.from([0x21, 0xfe, 9]),
      Buffer.from('Göteborg!', 'latin1'),
      Buffer.from([0]),
    ]);
    const xmp = Buffer.concat([
      Buffer.from([0x21, 0xff, 11]),
      Buffer.from('XMP DataXMP'),
      Buffer.from([5]),
      Buffer.from('<gps>'),
      Buffer.from([0]),
    ]);
    const withExtras = Buffer.concat([
      animated.subarray(0, firstImage),
      comment,
      xmp,
      animated.subarray(firstImage),
    ]);
    const out = stripGif(withExtras);
    expect(out.includes(Buffer.from('Göteborg', 'latin1'))).toBe(false);
    expect(out.includes(Buffer.from('XMP DataXMP'))).toBe(false);
    expect(out.equals(animated)).toBe(true); // exactly the file before the extras went in
    expect(out.includes(Buffer.from('NETSCAPE2.0'))).toBe(true);
    expect((await sharp(out, { animated: true }).metadata()).pages).toBe(2);
    expect(() => stripGif(withExtras.subarray(0, withExtras.length - 1))).toThrow(StripError);
  });
});

describe('stripHeif', () => {
  it('removes the EXIF and XMP items of an HEVC HEIC without moving a byte', async () => {
    const heic = await heicWithGps();
    expect(heifCodec(heic)).toBe('hevc');
    expect(await metadata(heic)).toMatchObject({ exif: expect.any(Buffer), xmp: expect.any(Buffer) });
    const out = stripHeif(heic);
    expect(out).toHaveLength(heic.length);
    expect(await metadata(out)).toMatchObject({ exif: null, xmp: null });
    expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(out.includes(Buffer.from('WestWallet Test Camera'))).toBe(false);
    const m = await sharp(out).metadata();
    expect([m.width, m.height]).toEqual([64, 48]);
  });

  it('keeps an AVIF decodable and pixel-identical', async () => {
    const avif = await image().withExif(GPS_EXIF).avif({ lossless: true }).toBuffer();
    expect(heifCodec(avif)).toBe('av1');
    const out = stripHeif(avif);
    expect((await metadata(out)).exif).toBeNull();
    expect((await pixels(out)).equals(await pixels(avif))).toBe(true);
  });

  it('throws StripError for a container it cannot read', () => {
    expect(() =>
      stripHeif(Buffer.from('\u0000\u0000\u0000\u0010ftypheic\u0000\u0000\u0000\u0000', 'latin1')),
    ).toThrow(StripError);
  });
});
