import { createHmac } from 'node:crypto';
import { signStripePayload, verifyStripeSignature } from './stripe-signature';

const secret = 'whsec_test_0123456789abcdef';
const body = Buffer.from('{"id":"evt_1","type":"invoice.paid","data":{"object":{}}}');
const now = 1_780_000_000;
const sig = (payload: Buffer | string, t: number, key = secret) =>
  createHmac('sha256', key).update(`${t}.${payload.toString()}`).digest('hex');

describe('Stripe-Signature verification', () => {
  it('accepts a header signed over `${t}.${rawBody}` with the secret', () => {
    expect(verifyStripeSignature(`t=${now},v1=${sig(body, now)}`, body, secret, now)).toEqual({
      ok: true,
      timestamp: now,
    });
    expect(signStripePayload(body, secret, now)).toBe(`t=${now},v1=${sig(body, now)}`);
  });

  it('accepts any of several v1 signatures (secret roll) and ignores v0 and unknown parts', () => {
    const header = `t=${now},v1=${sig(body, now, 'whsec_old_secret_value')},v0=abc,v1=${sig(body, now)},x=1`;
    expect(verifyStripeSignature(header, body, secret, now).ok).toBe(true);
  });

  it('refuses another secret, a changed body and a changed timestamp', () => {
    expect(
      verifyStripeSignature(`t=${now},v1=${sig(body, now, 'whsec_other_secret')}`, body, secret, now),
    ).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    const changed = Buffer.from(body.toString().replace('evt_1', 'evt_2'));
    expect(verifyStripeSignature(`t=${now},v1=${sig(body, now)}`, changed, secret, now).ok).toBe(false);
    expect(verifyStripeSignature(`t=${now - 1},v1=${sig(body, now)}`, body, secret, now).ok).toBe(false);
  });

  it('has a 5-minute tolerance either way', () => {
    const at = (t: number) => verifyStripeSignature(`t=${t},v1=${sig(body, t)}`, body, secret, now);
    expect(at(now - 300).ok).toBe(true);
    expect(at(now - 301)).toEqual({ ok: false, reason: 'timestamp_outside_tolerance' });
    expect(at(now + 300).ok).toBe(true);
    expect(at(now + 301).ok).toBe(false);
  });

  it('refuses a missing or malformed header', () => {
    expect(verifyStripeSignature(undefined, body, secret, now)).toEqual({
      ok: false,
      reason: 'missing_header',
    });
    expect(verifyStripeSignature('', body, secret, now)).toEqual({ ok: false, reason: 'missing_header' });
    for (const header of [
      'garbage',
      `t=${now}`,
      `v1=${sig(body, now)}`,
      `t=abc,v1=${sig(body, now)}`,
      `t=${now},v1=xyz`,
      `t=${now},t=${now},v1=${sig(body, now)}`,
    ]) {
      expect(verifyStripeSignature(header, body, secret, now)).toEqual({
        ok: false,
        reason: 'malformed_header',
      });
    }
  });
});
