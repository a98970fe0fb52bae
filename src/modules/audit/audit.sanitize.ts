import { canonicalJson } from './audit.hash';

/** Keys never written to the audit log, at any depth: the value of a secret does not belong in a log. */
export const SECRET_KEY = /password|hash|token|secret/i;

/** Deeper structures are cut off (and cycles broken) here. */
const MAX_DEPTH = 8;

/** What `changes` and `metadata` may hold once sanitized: plain JSON-like data (plus Dates). */
export type AuditValue = string | number | boolean | null | Date | AuditValue[] | AuditObject;
export interface AuditObject {
  [key: string]: AuditValue;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string stored exactly as given: NULs removed (FerretDB on PostgreSQL refuses them) and lone UTF-16 surrogates
 * replaced by U+FFFD (UTF-8 storage would do that silently and the entry would no longer match its hash). With
 * `max`, cut to at most that many characters without splitting a surrogate pair.
 */
export function sanitizeAuditString(value: string, max?: number): string {
  let text = value.includes('\0') ? value.replace(/\0/g, '') : value;
  text = text.replace(LONE_SURROGATE, '\uFFFD');
  if (max !== undefined && text.length > max) {
    const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
    text = text.slice(0, end);
  }
  return text;
}

/**
 * MongoDB and FerretDB refuse field names containing '.' or starting with '$' (FerretDB also NUL): '.' becomes '_',
 * leading '$' and NULs are dropped, an empty name becomes '_', and '__proto__' is renamed so it stays data.
 */
export function sanitizeAuditKey(key: string): string {
  const cleaned = sanitizeAuditString(key).replace(/\./g, '_').replace(/^\$+/, '');
  if (cleaned === '') return '_';
  return cleaned === '__proto__' ? '_proto_' : cleaned;
}

/**
 * Turns anything a service hands over into a value that is stored exactly as hashed and that both servers accept:
 * secret keys (`SECRET_KEY`) removed at every depth, keys sanitized (`sanitizeAuditKey`, a clash gets a '_'
 * suffix), `undefined`/functions/symbols dropped (`null` inside arrays), strings through `sanitizeAuditString`,
 * non-finite numbers and bigints as strings, invalid Dates as null, an array directly inside an array (FerretDB
 * has no nested arrays) as its canonical JSON text, objects with `toJSON` (ObjectId…) through it, and structures
 * deeper than a few levels or circular replaced by a marker string.
 */
export function sanitizeAuditObject(input: Record<string, unknown> | null | undefined): AuditObject {
  if (!input || typeof input !== 'object') return {};
  const value = sanitizeValue(input, 0, false, new WeakSet<object>());
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
    ? value
    : {};
}

function sanitizeValue(
  value: unknown,
  depth: number,
  inArray: boolean,
  seen: WeakSet<object>,
): AuditValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'string':
      return sanitizeAuditString(value);
    case 'number':
      if (!Number.isFinite(value)) return String(value);
      return value === 0 ? 0 : value; // -0 → 0
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value;
    case 'object':
      break;
  }
  const obj = value;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : new Date(obj.getTime());
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(obj)) return '[circular]';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items = obj.map((item) => sanitizeValue(item, depth + 1, true, seen) ?? null);
      return inArray ? canonicalJson(items) : items;
    }
    if (ArrayBuffer.isView(obj)) return `[binary ${obj.byteLength} bytes]`;
    const proto = Object.getPrototypeOf(obj) as unknown;
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (proto !== Object.prototype && proto !== null && typeof toJSON === 'function') {
      return sanitizeValue((toJSON as () => unknown).call(obj), depth, inArray, seen);
    }
    const source: Iterable<[string, unknown]> = obj instanceof Map ? obj.entries() : Object.entries(obj);
    const out: AuditObject = {};
    for (const [rawKey, raw] of source) {
      const keyText = String(rawKey);
      if (SECRET_KEY.test(keyText)) continue;
      const sanitized = sanitizeValue(raw, depth + 1, false, seen);
      if (sanitized === undefined) continue;
      let key = sanitizeAuditKey(keyText);
      while (Object.prototype.hasOwnProperty.call(out, key)) key += '_';
      out[key] = sanitized;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}
