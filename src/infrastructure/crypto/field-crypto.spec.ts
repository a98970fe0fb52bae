import { randomBytes } from 'node:crypto';
import { DecryptionError, FieldCrypto } from './field-crypto';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('FieldCrypto (AES-256-GCM)', () => {
  const crypto = new FieldCrypto(new Map([['k1', k1]]), 'k1');

  it('round-trips and never repeats a ciphertext', () => {
    const a = crypto.encrypt('19800101-1234', 'users.A000001.pin');
    const b = crypto.encrypt('19800101-1234', 'users.A000001.pin');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1:k1:')).toBe(true);
    expect(a).not.toContain('19800101');
    expect(crypto.decrypt(a, 'users.A000001.pin')).toBe('19800101-1234');
  });

  it('detects a tampered ciphertext, tag or iv', () => {
    const stored = crypto.encrypt('secret');
    const parts = stored.split(':');
    for (const index of [2, 3, 4]) {
      const copy = [...parts];
      const bytes = Buffer.from(copy[index], 'base64url');
      bytes[0] ^= 1;
      copy[index] = bytes.toString('base64url');
      expect(() => crypto.decrypt(copy.join(':'))).toThrow(DecryptionError);
    }
  });

  it('refuses a value moved to another record (aad)', () => {
    const stored = crypto.encrypt('secret', 'users.A000001.pin');
    expect(() => crypto.decrypt(stored, 'users.A000002.pin')).toThrow(DecryptionError);
  });

  it('rotates: old values stay readable, new ones use the active key', () => {
    const old = crypto.encrypt('old value');
    const rotated = new FieldCrypto(
      new Map([
        ['k1', k1],
        ['k2', k2],
      ]),
      'k2',
    );
    expect(rotated.decrypt(old)).toBe('old value');
    expect(rotated.needsRotation(old)).toBe(true);
    const fresh = rotated.encrypt('new value');
    expect(rotated.keyIdOf(fresh)).toBe('k2');
    expect(() => crypto.decrypt(fresh)).toThrow(/unknown key id k2/);
  });

  it('refuses garbage', () => {
    expect(() => crypto.decrypt('plain text')).toThrow(DecryptionError);
    expect(() => crypto.decrypt('v1:k1:a:b')).toThrow(DecryptionError);
  });
});
