import { createHash } from 'node:crypto';
import * as bcrypt from 'bcrypt';

/**
 * bcrypt reads at most 72 bytes, so the password is pre-hashed with SHA-256 (base64, 44 bytes) first: every
 * character of a long password counts, and a NUL byte cannot cut it short.
 */
function prehash(password: string): string {
  return createHash('sha256').update(password.normalize('NFC'), 'utf8').digest('base64');
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(prehash(password), cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(prehash(password), hash);
}
