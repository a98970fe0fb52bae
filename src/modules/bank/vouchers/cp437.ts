/**
 * Code page 437 (IBM PC, "PC8"), the character set SIE files are written in. ASCII maps to itself; the upper half
 * below is the full IBM table (Swedish letters: å 0x86, ä 0x84, ö 0x94, Å 0x8F, Ä 0x8E, Ö 0x99, é 0x82, ü 0x81).
 * Characters CP437 lacks (€, —, …) become `?`; control characters become spaces.
 */
const UPPER =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const ENCODE = new Map<string, number>([...UPPER].map((c, i) => [c, 0x80 + i]));

export function encodeCp437(text: string): Buffer {
  const out = Buffer.alloc(text.length * 2);
  let n = 0;
  for (const c of text.normalize('NFC')) {
    const code = c.codePointAt(0)!;
    if (code === 0x0d || code === 0x0a) out[n++] = code;
    else if (code < 0x20 || code === 0x7f) out[n++] = 0x20;
    else if (code < 0x80) out[n++] = code;
    else out[n++] = ENCODE.get(c) ?? 0x3f;
  }
  return out.subarray(0, n);
}

export function decodeCp437(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : UPPER[b - 0x80];
  return out;
}
