/**
 * The database and Redis a bench runs against: the server MONGODB_URI / REDIS_URL name when set, else the test
 * profile's services (`scripts/lib/services.js`, the same as `node scripts/services.js up --profile test`), started
 * or reused; `stop()` stops what was started. No app code is loaded here: benches that fork processes of their own
 * import this file, not the harness.
 */

export interface Services {
  /** `mongodb://host:port` (no database). */
  base: string;
  /** The URI's query string (`directConnection=true&…`). */
  options: string;
  redisUrl: string;
  /** Set when the test services were started (or reused) for this run. */
  stop?: () => Promise<void>;
}

/**
 * MONGODB_URI (its host and options; the database name in it is ignored) and REDIS_URL when set; what is missing
 * comes from the test profile's services. `redis: false`: a bench that needs no Redis (then `redisUrl` is
 * REDIS_URL or empty).
 */
export async function services(options: { redis?: boolean } = {}): Promise<Services> {
  const u = process.env.MONGODB_URI ? new URL(process.env.MONGODB_URI) : null;
  const redisUrl = process.env.REDIS_URL;
  const fromUri = u ? { base: `${u.protocol}//${u.host}`, options: u.searchParams.toString() } : null;
  if (fromUri && (redisUrl || options.redis === false)) return { ...fromUri, redisUrl: redisUrl ?? '' };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../../scripts/lib/services') as {
    up(profile: string): Promise<{ env: Record<string, string> }>;
    down(profile: string, options: { transientOnly: boolean }): Promise<void>;
  };
  const { env } = await lib.up('test');
  return {
    base: fromUri?.base ?? env.TEST_MONGODB_BASE,
    options: fromUri?.options ?? env.TEST_MONGODB_OPTIONS,
    redisUrl: redisUrl ?? env.REDIS_URL,
    stop: () => lib.down('test', { transientOnly: true }),
  };
}
