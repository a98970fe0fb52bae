import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
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

/** Delay before reconnect attempt n: 100 ms, 200 ms, … then one a second for as long as Redis is away. */
export const redisRetryStrategy = (attempt: number): number => Math.min(attempt * 100, 1_000);

/** A command (rate-limit counter, cache read) gives up after this long, so a stuck Redis cannot hold a request. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_500;

/**
 * Options of the shared client (BullMQ opens its own connections with `maxRetriesPerRequest: null`). While Redis is
 * down a command waits in the offline queue for at most one reconnect attempt or `commandTimeout`, then fails with an
 * error the global filter answers as 503; reconnect attempts back off to one a second, so the client is back within
 * about a second of Redis.
 */
export function redisOptions(config: AppConfig) {
  return {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: redisRetryStrategy,
    connectionName: `westwallet-${config.role}`,
  };
}

/** Logs a lost connection once (not once per failed reconnect) and its return once. */
export function logConnectionState(redis: Redis, logger: Logger): void {
  let lost = false;
  redis.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    logger.warn(`Redis connection lost (${error.message}); retrying every second`);
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger.log('Redis connection restored');
  });
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
      useFactory: (config: AppConfig) => {
        const redis = new Redis(config.redis.url, {
          ...redisOptions(config),
          keyPrefix: `${config.redis.prefix}:`,
        });
        logConnectionState(redis, new Logger('Redis'));
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
