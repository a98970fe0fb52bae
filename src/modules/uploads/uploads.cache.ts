import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../infrastructure/redis/redis.module';
import type { UploadDoc } from './uploads.schema';

const ENTRY_TTL_S = 3600;
/** Longer than ENTRY_TTL_S, so an entry never outlives the generation it was written for (see below). */
const GENERATION_TTL_S = 2 * ENTRY_TTL_S;

interface Entry {
  gen: number;
  doc: UploadDoc;
}

const revive = (doc: UploadDoc): UploadDoc => ({
  ...doc,
  createdAt: new Date(doc.createdAt),
  updatedAt: new Date(doc.updatedAt),
  deletedAt: doc.deletedAt ? new Date(doc.deletedAt) : null,
});

/**
 * Upload metadata (dimensions, variants with sizes and hashes, status) in Redis, so the content route — hit once
 * per thumbnail in every list — answers an If-None-Match without a database read.
 *
 * Keys carry the organization (`uploads:meta:{org}:{id}`): another organization's id simply misses and goes to
 * the tenant-scoped repository. Invalidation is race-free with a generation counter: a reader notes the generation
 * before reading the database and tags what it caches with it; `invalidate` bumps the generation, so an entry
 * computed from a read that happened before a change can never be served after it. One MGET per hit.
 *
 * Redis failing never fails a request: the cache is skipped and the error logged.
 */
@Injectable()
export class UploadMetadataCache {
  private readonly logger = new Logger(UploadMetadataCache.name);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  private keys(organizationId: string, id: string): [entry: string, generation: string] {
    return [`uploads:meta:${organizationId}:${id}`, `uploads:gen:${organizationId}:${id}`];
  }

  /** The cached upload if current, plus the generation to tag a fresh read with. */
  async get(organizationId: string, id: string): Promise<{ doc: UploadDoc | null; gen: number | null }> {
    try {
      const [raw, gen] = await this.redis.mget(...this.keys(organizationId, id));
      const generation = Number(gen ?? 0);
      if (raw) {
        const entry = JSON.parse(raw) as Entry;
        if (entry.gen === generation) return { doc: revive(entry.doc), gen: generation };
      }
      return { doc: null, gen: generation };
    } catch (error) {
      this.logger.warn({ err: error }, 'Upload cache read failed');
      return { doc: null, gen: null };
    }
  }

  /** Only live uploads in a final state are cached (a processing one changes soon; a deleted one is not served). */
  async set(organizationId: string, id: string, gen: number | null, doc: UploadDoc): Promise<void> {
    if (gen === null || doc.isDeleted || doc.status === 'processing') return;
    try {
      const [entryKey] = this.keys(organizationId, id);
      await this.redis.set(entryKey, JSON.stringify({ gen, doc } satisfies Entry), 'EX', ENTRY_TTL_S);
    } catch (error) {
      this.logger.warn({ err: error }, 'Upload cache write failed');
    }
  }

  async invalidate(organizationId: string, id: string): Promise<void> {
    const [entryKey, generationKey] = this.keys(organizationId, id);
    try {
      await this.redis
        .multi()
        .incr(generationKey)
        .expire(generationKey, GENERATION_TTL_S)
        .del(entryKey)
        .exec();
    } catch (error) {
      // Without the bump a stale entry could live until its TTL: say so loudly.
      this.logger.error({ err: error, organizationId, id }, 'Upload cache invalidation failed');
    }
  }
}
