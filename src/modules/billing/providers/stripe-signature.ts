import { createHmac, timingSafeEqual } from 'node:crypto';

/** Stripe's default: a signed event older (or newer) than 5 minutes is refused, against replays. */
export const STRIPE_TOLERANCE_SECONDS = 300;

export type StripeSignatureResult =
  | { ok: true; timestamp: number }
  | {
      ok: false;
      reason: 'missing_header' | 'malformed_header' | 'timestamp_outside_tolerance' | 'no_matching_signature';
    };

const hmac = (secret: string, timestamp: number, payload: Buffer): Buffer =>
  createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(payload).digest();

/**
 * Verifies a `Stripe-Signature` header (`t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`): HMAC-SHA256 with the
 * endpoint secret over `${t}.${rawBody}`, compared in constant time with every `v1` (several are sent while a
 * secret is rolled); `t` must be within the tolerance of `nowSeconds` in either direction.
 */
export function verifyStripeSignature(
  header: string | undefined,
  rawBody: Buffer,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = STRIPE_TOLERANCE_SECONDS,
): StripeSignatureResult {
  if (!header) return { ok: false, reason: 'missing_header' };
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) return { ok: false, reason: 'malformed_header' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return { ok: false, reason: 'malformed_header' };
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (/^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: 'malformed_header' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    return { ok: false, reason: 'timestamp_outside_tolerance' };
  const expected = hmac(secret, timestamp, rawBody);
  // Compare with every candidate (no early exit), so the time taken does not tell which one matched.
  let matched = false;
  for (const candidate of signatures) {
    if (timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'no_matching_signature' };
}

/** Builds a header the way Stripe does (tests, and local tools that replay events). */
export function signStripePayload(payload: string | Buffer, secret: string, timestamp: number): string {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return `t=${timestamp},v1=${hmac(secret, timestamp, body).toString('hex')}`;
}
