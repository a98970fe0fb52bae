import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt field: ${reason}`);
  }
}

/**
 * AES-256-GCM for sensitive fields, with Node's own crypto. Stored form: `v1:<keyId>:<iv>:<tag>:<ciphertext>`
 * (base64url parts), so keys can rotate: new writes use the active key, reads use the key the value names.
 * `aad` binds a value to its place (e.g. `users.A000001.personalIdentityNumber`): moving it elsewhere, or any
 * change to a byte, fails authentication.
 */
export class FieldCrypto {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly activeKeyId: string,
  ) {
    if (!keys.has(activeKeyId)) throw new Error(`Unknown active key id ${activeKeyId}`);
  }

  encrypt(plaintext: string, aad = ''): string {
    const key = this.keys.get(this.activeKeyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.activeKeyId, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  decrypt(stored: string, aad = ''): string {
    const [version, keyId, iv, tag, ciphertext, ...rest] = stored.split(':');
    if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined || rest.length) {
      throw new DecryptionError('not an encrypted value');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new DecryptionError(`unknown key id ${keyId}`);
    const tagBytes = Buffer.from(tag, 'base64url');
    if (tagBytes.length !== TAG_BYTES) throw new DecryptionError('bad tag');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new DecryptionError('authentication failed (tampered, or the wrong key)');
    }
  }

  /** The key id a stored value was written with: re-encrypt values whose key is not the active one to rotate. */
  keyIdOf(stored: string): string | undefined {
    return stored.split(':')[1];
  }

  needsRotation(stored: string): boolean {
    return this.keyIdOf(stored) !== this.activeKeyId;
  }
}
