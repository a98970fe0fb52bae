import { sniff } from './sniff';

const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + 4 * compatible.length;
  const b = Buffer.alloc(size + 8);
  b.writeUInt32BE(size, 0);
  b.write('ftyp', 4, 'latin1');
  b.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => b.write(brand, 16 + 4 * i, 'latin1'));
  return b;
};

describe('sniff (type from the bytes)', () => {
  it.each([
    ['JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image/png'],
    ['WebP', Buffer.from('RIFF\u0010\u0000\u0000\u0000WEBPVP8 ', 'latin1'), 'image/webp'],
    ['GIF87a', Buffer.from('GIF87a\u0001\u0000', 'latin1'), 'image/gif'],
    ['GIF89a', Buffer.from('GIF89a\u0001\u0000', 'latin1'), 'image/gif'],
    ['PDF', Buffer.from('%PDF-1.7\n%âãÏÓ', 'latin1'), 'application/pdf'],
    ['HEIC (iPhone)', ftyp('heic', 'mif1', 'heic'), 'image/heic'],
    ['HEIC sequence brand', ftyp('hevc', 'msf1'), 'image/heic'],
    ['AVIF', ftyp('avif', 'mif1', 'miaf'), 'image/avif'],
    ['AVIF under mif1', ftyp('mif1', 'avif', 'miaf'), 'image/avif'],
    ['HEIC under mif1', ftyp('mif1', 'heic'), 'image/heic'],
    ['generic HEIF', ftyp('mif1', 'miaf'), 'image/heif'],
  ])('%s → %s', (_label, bytes, mimeType) => {
    expect(sniff(bytes)?.mimeType).toBe(mimeType);
  });

  it.each([
    ['an ELF executable', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])],
    ['a Windows executable', Buffer.from('MZ\u0090\u0000\u0003', 'latin1')],
    ['a ZIP (docx)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])],
    ['an MP4 video', ftyp('isom', 'iso2', 'mp41')],
    ['a QuickTime movie', ftyp('qt  ')],
    ['HTML', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a PDF header not at the start', Buffer.from('junk%PDF-1.4\n')],
    ['"%PDF-" without a version', Buffer.from('%PDF-x.y trailing')],
    ['RIFF that is not WebP (WAV)', Buffer.from('RIFF\u0010\u0000\u0000\u0000WAVEfmt ', 'latin1')],
    ['a truncated JPEG marker', Buffer.from([0xff, 0xd8])],
    [
      'an absurd ftyp size',
      Buffer.concat([Buffer.from([0x7f, 0xff, 0xff, 0xf0]), Buffer.from('ftypheic'), Buffer.alloc(8)]),
    ],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_label, bytes) => {
    expect(sniff(bytes)).toBeNull();
  });
});
