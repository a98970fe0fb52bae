import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { TokensRepository } from './tokens.repository';
import type { OneTimePurpose } from './tokens.schema';

export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** 32 random bytes, URL-safe: the secret part of every token we hand out. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/**
 * Single-use tokens sent by mail (email verification, password reset, invitations). Only the hash is stored; a
 * token is spent by a unique insert, so it works once even when two requests race.
 */
@Injectable()
export class OneTimeTokensService {
  constructor(private readonly repository: TokensRepository) {}

  async issue(purpose: OneTimePurpose, subjectId: string, ttlMs: number): Promise<string> {
    const token = randomToken();
    await this.repository.create({
      _id: sha256(token),
      purpose,
      subjectId,
      expiresAt: new Date(Date.now() + ttlMs),
    });
    return token;
  }

  /** The subject id when the token is valid, unexpired and not yet used — and marks it used. Else null. */
  async consume(purpose: OneTimePurpose, token: string): Promise<string | null> {
    const hash = sha256(token);
    const found = await this.repository.find(hash, purpose);
    if (!found || found.expiresAt.getTime() <= Date.now()) return null;
    return (await this.repository.spend(`ott:${hash}`)) ? found.subjectId : null;
  }

  /** The subject id of a valid, unexpired, unused token — without spending it. */
  async peek(purpose: OneTimePurpose, token: string): Promise<string | null> {
    const hash = sha256(token);
    const found = await this.repository.find(hash, purpose);
    if (!found || found.expiresAt.getTime() <= Date.now()) return null;
    return (await this.repository.isSpent(`ott:${hash}`)) ? null : found.subjectId;
  }

  /** Generic "spend once" for other single-use things (refresh tokens). */
  spend(key: string): Promise<boolean> {
    return this.repository.spend(key);
  }
}
