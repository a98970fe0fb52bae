import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { REDIS } from '../redis/redis.module';
import { answersWithin, READINESS_TIMEOUT_MS } from './readiness';

export type ProbeResult = 'up' | 'down';

/** Pings the database and Redis for `/health/ready`; each counts as down when it does not answer in time. */
@Injectable()
export class DependencyProbes {
  constructor(
    @InjectConnection() private readonly mongo: Connection,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async ping(): Promise<{ mongodb: ProbeResult; redis: ProbeResult }> {
    const probe = async (check: () => Promise<unknown>): Promise<ProbeResult> =>
      (await answersWithin(check, READINESS_TIMEOUT_MS)) ? 'up' : 'down';
    const [mongodb, redis] = await Promise.all([
      probe(() => this.mongo.db!.admin().ping()),
      probe(() => this.redis.ping()),
    ]);
    return { mongodb, redis };
  }
}
