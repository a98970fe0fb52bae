/**
 * The client's file name is kept only as a label (lists, downloads); paths are built from ids. These helpers make
 * it safe to show and to put in a header.
 */

const MAX_NAME = 200;

/**
 * Last path segment, Unicode NFC, no control or bidi-override characters, whitespace collapsed, at most 200
 * characters (the extension kept when shortening). Empty → `file`.
 */
export function sanitizeFileName(raw: string | undefined | null): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/\s/g, ' ') // tabs and line breaks become spaces before control characters go
    // C0/C1 controls and DEL (\p{Cc}), bidi controls, zero-width characters and the BOM
    .replace(/[\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (!cleaned) return 'file';
  const chars = Array.from(cleaned);
  if (chars.length <= MAX_NAME) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return (
    Array.from(cleaned.slice(0, cleaned.length - ext.length))
      .slice(0, MAX_NAME - ext.length)
      .join('') + ext
  );
}

/** `kvitto.jpg` + `webp` → `kvitto.webp`; a suffix goes before the extension (`kvitto-thumbnail.webp`). */
export function withExtension(name: string, extension: string, suffix = ''): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return `${stem}${suffix}.${extension}`;
}

/** RFC 5987 / RFC 8187 `ext-value` encoding: UTF-8, percent-encoded except attr-char. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `inline; filename="kvitto_.jpg"; filename*=UTF-8''kvitto%C3%A5.jpg` — an ASCII fallback for old clients (non-ASCII,
 * quotes, backslashes and separators replaced by `_`) and the exact name for everyone else (RFC 6266).
 */
export function contentDisposition(name: string, type: 'inline' | 'attachment' = 'inline'): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
