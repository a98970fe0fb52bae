import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { RequestContext } from '../../common/context/request-context';
import { Metrics } from '../metrics/metrics';
import { REDIS } from '../redis/redis.module';
import { ALL_SCOPES, registerGenerationBumper, type WriteScope } from './generations';

/** A cached value lives at most this long (a bound on anything a missed bump could leave behind). */
export const DEFAULT_TTL_SECONDS = 600;
/** How long one process may hold the right to compute a missing value before another may take over. */
export const LOCK_MS = 10_000;
/** How long a reader waits for another process's computation before computing itself. */
export const WAIT_MS = 5_000;
const POLL_MS = 20;
/** Values kept parsed in this process (the near copies). */
export const NEAR_ENTRIES = 1_000;

const SEQUENCE_KEY = 'cache:gen-seq';
const genKey = (w: WriteScope) => `cache:gen:${w.collection}:${w.scope}`;

// One round trip per write: one new number from the sequence, set on every touched generation. Numbers are never
// reused (unlike a counter per key, which would start over at 1 if its key were lost while values stamped with an
// old 1 still lived), so a stamp matches only the generations it was computed under. The sequence never falls
// below the time in microseconds (ARGV[1]): after a Redis that lost its data it goes on above every earlier number
// (near copies in the processes still hold stamps from before).
const BUMP_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
  n = tonumber(ARGV[1])
end
local s = string.format('%.0f', n)
for i = 2, #KEYS do redis.call('SET', KEYS[i], s) end
return s
`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** What a cached read is: a name, the collections it reads, its scope, and its arguments. */
export interface CacheSpec {
  /** `<module>.<what>`, e.g. `economy.dashboard`: in the key and the metrics label. */
  name: string;
  /** Collection names the computation reads (checked at first use against the connection's models). */
  reads: string[];
  /** The organization (tenant reads) or another scope the writes of `reads` name (a user id for user settings). */
  scope: string;
  /** Everything else the result depends on (currency, today's date, query parameters, language). */
  args?: unknown[];
  ttlSeconds?: number;
  /**
   * `scope` is an organization and `reads` are tenant collections: every write of them names its organization
   * (tenantScopedPlugin refuses a query without one; inserts carry it), so the `*` generations are not read.
   */
  tenant?: boolean;
}

/**
 * The cache layer: Redis-backed read-through caching for what is read far more than written (dashboards,
 * statistics, category trees, supplier lists, user settings).
 *
 * Invalidation by generations: every write through Mongoose or the bulk-write helper sets a new generation on the
 * (collection, scope) pairs it touched (generations.ts), after the write and before its caller continues. A cached
 * value is stamped with the generations of everything it read, noted before the computation started; a hit needs
 * every stamp to still be current. So a value computed from data older than a write is never served after that write
 * returned — there is no invalidation list to keep in sync with the write paths. A hit is one MGET (the
 * generations and the value); when this process already holds a parsed copy stamped with the same generations
 * (the near copy, NEAR_ENTRIES at most) that copy is returned without parsing. Cached values are shared: callers
 * treat them as read-only.
 *
 * No stampede: concurrent misses of one key in a process share one computation (single flight), and across
 * processes one takes a Redis lock while the others wait for its value (up to WAIT_MS, then compute themselves).
 *
 * Redis down or slow → the cache is bypassed (computed directly), never an error. A bump that could not reach Redis
 * is kept and retried; until it is through, this process serves nothing from the cache.
 */
@Injectable()
export class CacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CacheService.name);
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Parsed copies of values this process read or computed, by value key, with the stamp they are valid for. */
  private readonly near = new Map<string, { stamp: string; value: unknown }>();
  private readonly pendingBumps = new Map<string, WriteScope>();
  private readonly knownCollections = new Set<string>();
  private onReady = () => void this.flushPending();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @InjectConnection() private readonly connection: Connection,
    private readonly context: RequestContext,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    registerGenerationBumper(this.connection, (scopes) => this.bump(scopes));
    this.redis.on('ready', this.onReady);
  }

  onApplicationShutdown(): void {
    registerGenerationBumper(this.connection, null);
    this.redis.off('ready', this.onReady);
  }

  /** A read of the current organization's data, cached under its generations. */
  tenant<T>(
    name: string,
    reads: string[],
    args: unknown[],
    compute: () => Promise<T>,
    options: { ttlSeconds?: number } = {},
  ): Promise<T> {
    const scope = this.context.requireTenant().organizationId;
    return this.read({ name, reads, scope, args, tenant: true, ...options }, compute);
  }

  async read<T>(spec: CacheSpec, compute: () => Promise<T>): Promise<T> {
    this.checkCollections(spec.reads);
    if (!this.usable()) {
      this.metrics.cacheRead(spec.name, 'bypass');
      return compute();
    }
    const gens = spec.tenant
      ? spec.reads.map((collection) => genKey({ collection, scope: spec.scope }))
      : spec.reads.flatMap((collection) => [
          genKey({ collection, scope: spec.scope }),
          genKey({ collection, scope: ALL_SCOPES }),
        ]);
    const valueKey = `cache:v:${spec.name}:${spec.scope}:${argsHash(spec.args ?? [])}`;
    let stamp: string;
    try {
      const values = await this.redis.mget(...gens, valueKey);
      const cached = values.pop();
      stamp = values.map((v) => v ?? '0').join('.');
      const near = this.near.get(valueKey);
      if (near?.stamp === stamp) {
        this.metrics.cacheRead(spec.name, 'hit');
        return near.value as T;
      }
      const hit = cached ? decode<T>(cached, stamp) : undefined;
      if (hit !== undefined) {
        this.keepNear(valueKey, stamp, hit);
        this.metrics.cacheRead(spec.name, 'hit');
        return hit;
      }
    } catch (error) {
      this.logger.warn({ err: error, cache: spec.name }, 'Cache read failed: computing without the cache');
      this.metrics.cacheRead(spec.name, 'bypass');
      return compute();
    }
    this.metrics.cacheRead(spec.name, 'miss');
    const flightKey = `${valueKey}@${stamp}`;
    const running = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (running) return running;
    const flight = this.fill(spec, valueKey, stamp, compute).finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, flight);
    return flight;
  }

  /** Computes a missing value once across processes: under a Redis lock, or waits for whoever holds it. */
  private async fill<T>(
    spec: CacheSpec,
    valueKey: string,
    stamp: string,
    compute: () => Promise<T>,
  ): Promise<T> {
    const lockKey = `cache:lock:${valueKey}`;
    const token = randomUUID();
    let locked = false;
    try {
      locked = (await this.redis.set(lockKey, token, 'PX', LOCK_MS, 'NX')) === 'OK';
    } catch {
      return compute();
    }
    if (!locked) {
      const waited = await this.waitFor<T>(valueKey, lockKey, stamp);
      if (waited !== undefined) return waited;
    }
    try {
      const value = await compute();
      this.metrics.cacheCompute(spec.name);
      this.keepNear(valueKey, stamp, value);
      await this.redis
        .set(valueKey, encode(value, stamp), 'EX', spec.ttlSeconds ?? DEFAULT_TTL_SECONDS)
        .catch((error: unknown) => this.logger.warn({ err: error, cache: spec.name }, 'Cache write failed'));
      return value;
    } finally {
      if (locked) await this.redis.eval(RELEASE_SCRIPT, 1, lockKey, token).catch(() => undefined);
    }
  }

  /** The value another process is computing; undefined when its lock is gone without it (or after WAIT_MS). */
  private async waitFor<T>(valueKey: string, lockKey: string, stamp: string): Promise<T | undefined> {
    const until = Date.now() + WAIT_MS;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      try {
        const [raw, lock] = await this.redis.mget(valueKey, lockKey);
        const value = raw ? decode<T>(raw, stamp) : undefined;
        if (value !== undefined) return value;
        // Released without a value of our generations (it computed under older ones, or failed): compute here.
        if (!lock) return undefined;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** The near copy of a value, most recent last; the oldest goes when NEAR_ENTRIES are kept. */
  private keepNear(valueKey: string, stamp: string, value: unknown): void {
    this.near.delete(valueKey);
    this.near.set(valueKey, { stamp, value });
    if (this.near.size > NEAR_ENTRIES) this.near.delete(this.near.keys().next().value!);
  }

  /** Sets a new generation on every (collection, scope) a write touched. Never throws (see class comment). */
  async bump(scopes: WriteScope[]): Promise<void> {
    if (!scopes.length) return;
    if (this.redis.status !== 'ready') {
      this.keepPending(scopes);
      return;
    }
    try {
      await this.redis.eval(
        BUMP_SCRIPT,
        scopes.length + 1,
        SEQUENCE_KEY,
        ...scopes.map(genKey),
        String(Date.now() * 1000),
      );
    } catch (error) {
      this.logger.warn(
        { err: error },
        'Cache generation bump failed: the cache is bypassed until it is through',
      );
      this.keepPending(scopes);
    }
  }

  private keepPending(scopes: WriteScope[]): void {
    for (const s of scopes) this.pendingBumps.set(genKey(s), s);
  }

  private async flushPending(): Promise<void> {
    if (!this.pendingBumps.size) return;
    const scopes = [...this.pendingBumps.values()];
    this.pendingBumps.clear();
    await this.bump(scopes);
    if (!this.pendingBumps.size) this.logger.log(`Cache: ${scopes.length} held-back generation bump(s) done`);
  }

  /** The cache serves only while Redis is connected and no bump of this process is held back. */
  private usable(): boolean {
    if (this.redis.status !== 'ready') return false;
    if (this.pendingBumps.size) {
      void this.flushPending();
      return false;
    }
    return true;
  }

  private checkCollections(reads: string[]): void {
    for (const collection of reads) {
      if (this.knownCollections.has(collection)) continue;
      const exists = Object.values(this.connection.models).some(
        (model) => model.collection.collectionName === collection,
      );
      if (!exists) throw new Error(`Cache: no model stores the collection ${collection}`);
      this.knownCollections.add(collection);
    }
  }
}

/** Short arguments go into the key as they are (no hashing on the hit path); long ones as a SHA-1. */
function argsHash(args: unknown[]): string {
  if (!args.length) return '-';
  const json = JSON.stringify(args);
  return json.length <= 80 ? json : createHash('sha1').update(json).digest('base64url');
}

// Stored as `<stamp>|<d or ->|<json>`: `d` when the value holds Dates, which are written as {"$date": iso} and
// revived; other values are parsed without a reviver (the hit path stays one JSON.parse).
const DATE_TAG = '$date';

function encode(value: unknown, stamp: string): string {
  let dates = false;
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) {
      dates = true;
      return { [DATE_TAG]: raw.toISOString() };
    }
    if (raw instanceof Map) throw new Error('Cache: a Map cannot be cached; return a plain object');
    return v;
  });
  return `${stamp}|${dates ? 'd' : '-'}|${json ?? 'null'}`;
}

function decode<T>(raw: string, stamp: string): T | undefined {
  if (!raw.startsWith(stamp) || raw.charCodeAt(stamp.length) !== 124 /* | */) return undefined;
  const flag = raw[stamp.length + 1];
  const json = raw.slice(stamp.length + 3);
  if (flag !== 'd') return JSON.parse(json) as T;
  return JSON.parse(json, (_key, v: unknown) => {
    if (v && typeof v === 'object' && DATE_TAG in v && Object.keys(v).length === 1)
      return new Date((v as Record<string, string>)[DATE_TAG]);
    return v;
  }) as T;
}
