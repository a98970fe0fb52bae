import { contentDisposition, sanitizeFileName, withExtension } from './file-names';

describe('file names', () => {
  it('keeps only a safe last segment of the client name', () => {
    expect(sanitizeFileName('C:\\Users\\anna\\Kvitto ICA.jpg')).toBe('Kvitto ICA.jpg');
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('.htaccess')).toBe('htaccess');
    expect(sanitizeFileName('faktura\u202Efdp.exe')).toBe('fakturafdp.exe'); // bidi override removed
    expect(sanitizeFileName('a\u0000b\nc\td.pdf')).toBe('ab c d.pdf');
    expect(sanitizeFileName('  many    spaces  .pdf ')).toBe('many spaces .pdf');
    expect(sanitizeFileName('Ka\u0308rlek.png')).toBe('Kärlek.png'); // NFC
    expect(sanitizeFileName('')).toBe('file');
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(sanitizeFileName('/')).toBe('file');
  });

  it('shortens long names to 200 characters, keeping the extension', () => {
    const name = sanitizeFileName(`${'å'.repeat(300)}.jpeg`);
    expect(Array.from(name)).toHaveLength(200);
    expect(name.endsWith('å.jpeg')).toBe(true);
  });

  it('swaps or adds an extension', () => {
    expect(withExtension('kvitto.jpg', 'webp')).toBe('kvitto.webp');
    expect(withExtension('kvitto', 'pdf')).toBe('kvitto.pdf');
    expect(withExtension('a.b.c.png', 'webp', '-thumbnail')).toBe('a.b.c-thumbnail.webp');
    expect(withExtension('.hidden', 'pdf')).toBe('.hidden.pdf');
  });

  it('builds an RFC 6266 Content-Disposition with an ASCII fallback and an RFC 5987 filename*', () => {
    expect(contentDisposition('kvitto.pdf')).toBe(
      `inline; filename="kvitto.pdf"; filename*=UTF-8''kvitto.pdf`,
    );
    expect(contentDisposition('Räkning "maj"; 100%.pdf', 'attachment')).toBe(
      `attachment; filename="R_kning _maj__ 100_.pdf"; filename*=UTF-8''R%C3%A4kning%20%22maj%22%3B%20100%25.pdf`,
    );
    expect(contentDisposition("it's (1)*.jpg")).toContain(`filename*=UTF-8''it%27s%20%281%29%2A.jpg`);
    expect(contentDisposition('a\\b.jpg')).toContain('filename="a_b.jpg"');
  });
});
