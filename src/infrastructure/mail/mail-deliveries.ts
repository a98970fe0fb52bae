import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';

/**
 * Kept this long after the last attempt: longer than any job of the mail queue lives (failed jobs are kept 7 days and
 * may be retried by hand until then). Redis expires the records itself.
 */
export const DELIVERY_RETENTION_MS = 8 * 24 * 3600 * 1000;

/** Every possible duplicate since the start of this Redis, for monitoring (`GET <REDIS_PREFIX>:mail:possible-duplicates`). */
export const POSSIBLE_DUPLICATES_KEY = 'mail:possible-duplicates';

export const deliveryKey = (deliveryId: string): string => `mail:delivery:${deliveryId}`;

/** What a SendMail attempt may do: send (first time, again after a refusal, or after a dead attempt) or skip. */
export type DeliveryClaim = { send: true; possibleDuplicate: boolean } | { send: false };

// Atomic on the Redis server: read the state, then claim. A `sending` state found here was left by an attempt that
// died between claiming and recording the SMTP result (worker killed, Redis unreachable): count a possible duplicate.
const CLAIM_SCRIPT = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'sent' then return 'sent' end
redis.call('HSET', KEYS[1], 'state', 'sending', 'claimedAt', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if state == 'sending' then
  redis.call('HINCRBY', KEYS[1], 'resends', 1)
  redis.call('INCR', KEYS[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
if state then return state end
return 'new'
`;

/**
 * The idempotency records of the SendMail job, one Redis hash per mail (`mail:delivery:<deliveryId>`: state
 * `sending` | `sent` | `failed`, attempts, resends, claimedAt, sentAt). They live next to the jobs they guard: a
 * Redis that loses them has lost the queued jobs too. Redis and not MongoDB, because a mail then costs two Redis
 * round trips instead of two database writes (FerretDB/SQLite: tens of milliseconds each under load).
 */
@Injectable()
export class MailDeliveries {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async claim(deliveryId: string, at: Date): Promise<DeliveryClaim> {
    const before = (await this.redis.eval(
      CLAIM_SCRIPT,
      2,
      deliveryKey(deliveryId),
      POSSIBLE_DUPLICATES_KEY,
      String(DELIVERY_RETENTION_MS),
      at.toISOString(),
    )) as string;
    if (before === 'sent') return { send: false };
    return { send: true, possibleDuplicate: before === 'sending' };
  }

  async markSent(deliveryId: string, at: Date): Promise<void> {
    await this.redis.hset(deliveryKey(deliveryId), 'state', 'sent', 'sentAt', at.toISOString());
  }

  /** The state of each delivery (`sending` | `sent` | `failed`), `null` for one not attempted yet (or expired). */
  async states(deliveryIds: string[]): Promise<(string | null)[]> {
    if (!deliveryIds.length) return [];
    const pipeline = this.redis.pipeline();
    for (const id of deliveryIds) pipeline.hget(deliveryKey(id), 'state');
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, state]) => (error ? null : ((state as string | null) ?? null)));
  }

  /** The SMTP server refused the mail: the next attempt sends without counting a possible duplicate. */
  async markFailed(deliveryId: string, error: string): Promise<void> {
    await this.redis.hset(deliveryKey(deliveryId), 'state', 'failed', 'error', error.slice(0, 500));
  }
}
