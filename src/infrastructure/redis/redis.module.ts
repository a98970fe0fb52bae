import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

export const REDIS = Symbol('REDIS');

/** `redis://user:pass@host:port/db` → ioredis options (BullMQ takes options, not a URL). */
export function redisConnectionFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/** Options shared by every connection we open (BullMQ needs `maxRetriesPerRequest: null` on its own). */
export function redisOptions(config: AppConfig) {
  return { lazyConnect: false, enableOfflineQueue: true, connectionName: `westwallet-${config.role}` };
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared ioredis client for caches, rate limits and locks; keys carry `REDIS_PREFIX:`. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Redis(config.redis.url, { ...redisOptions(config), keyPrefix: `${config.redis.prefix}:` }),
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
