/**
 * Bytes of an uploaded statement to text. Swedish bank exports come as UTF-8 (often with a BOM) or as
 * Windows-1252 (older "ANSI" exports: å = 0xE5). `auto` takes UTF-8 when the bytes are valid UTF-8, else
 * Windows-1252 (every byte sequence is valid there, so this never fails). UTF-16 with a BOM is recognised too.
 */
export type TextEncoding = 'auto' | 'utf-8' | 'windows-1252';

/** Windows-1252 bytes 0x80–0x9F (the rest of the code page equals Latin-1). Undefined bytes map to U+0080+n. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

/**
 * Windows-1252 by table. Node's `TextDecoder('windows-1252')` takes a Latin-1 shortcut on some versions (20.x) and
 * turns 0x80–0x9F (€, –, ’, …) into control characters, so it is not used.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    const codes = new Array<number>(chunk.length);
    for (let j = 0; j < chunk.length; j++) {
      const b = chunk[j];
      codes[j] = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
}

export function decodeStatement(bytes: Uint8Array, encoding: TextEncoding = 'auto'): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  if (encoding === 'windows-1252') return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  if (encoding === 'utf-8' || hasBom)
    return { text: new TextDecoder('utf-8').decode(body), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  }
}
