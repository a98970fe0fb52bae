import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const csv = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const positiveInt = (def: number) => z.coerce.number().int().positive().default(def);

/** `kid:base64key,kid2:base64key` — every key must decode to exactly 32 bytes (AES-256). */
const encryptionKeys = z.string().transform((value, ctx) => {
  const keys = new Map<string, Buffer>();
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kid, b64] = part.split(':');
    const key = b64 ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (!kid || !/^[A-Za-z0-9_-]{1,16}$/.test(kid) || key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'expected kid:base64 pairs with 32-byte keys' });
      return z.NEVER;
    }
    keys.set(kid, key);
  }
  if (keys.size === 0) {
    ctx.addIssue({ code: 'custom', message: 'at least one key is required' });
    return z.NEVER;
  }
  return keys;
});

/**
 * Where files live (uploads, exports, reports): docs/storage.md. Kept apart so that `npm run storage:migrate` can
 * read it without the rest of the application's configuration.
 */
export const storageEnvShape = {
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  UPLOADS_DIR: z.string().default('uploads'),
  /** S3-compatible endpoint (SeaweedFS, MinIO, Ceph, …); unset → AWS S3 in S3_REGION. */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'an S3 bucket name (3–63 lower-case letters, digits, . and -)',
    )
    .optional(),
  /** Every key is stored under this prefix (e.g. `westwallet/`), so one bucket can hold several installations. */
  S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\/)*$/, 'empty, or segments of letters, digits, _ and - each ending in /')
    .default(''),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** `bucket` in the path (SeaweedFS, MinIO) instead of a subdomain (AWS). */
  S3_FORCE_PATH_STYLE: bool.default(true),
  /** Downloads answer 302 to a pre-signed URL of this many seconds' life instead of streaming through the API. */
  S3_PRESIGN: bool.default(false),
  /** The endpoint browsers reach, written into pre-signed URLs (e.g. https://files.example.se); unset → S3_ENDPOINT. */
  S3_PRESIGN_ENDPOINT: z.url().optional(),
  S3_PRESIGN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600)
    .default(300),
  /** Create the bucket at start when it is missing (development, tests, compose). */
  S3_CREATE_BUCKET: bool.default(false),
  /** Connecting gives up after this long; a request whose server stops answering after S3_REQUEST_TIMEOUT_MS. */
  S3_CONNECT_TIMEOUT_MS: positiveInt(3_000),
  S3_REQUEST_TIMEOUT_MS: positiveInt(15_000),
  /** Tries per request (1 = no retry); a storage outage answers 503 once they are spent. */
  S3_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(2),
};

type StorageEnv = z.infer<z.ZodObject<typeof storageEnvShape>>;

/** S3 needs a bucket, and keys come in pairs (none → the SDK's default credential chain). */
function checkStorageEnv(env: StorageEnv, ctx: z.RefinementCtx): void {
  if (env.STORAGE_DRIVER !== 's3') return;
  if (!env.S3_BUCKET)
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required with STORAGE_DRIVER=s3' });
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
      message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
    });
  }
}

export const storageEnvSchema = z.object(storageEnvShape).superRefine(checkStorageEnv);
export type StorageEnvValues = z.infer<typeof storageEnvSchema>;

/** Every environment variable the application reads. Documented one by one in `.env.example`. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    APP_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().default('http://localhost:3000'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'like 1mb or 512kb')
      .default('1mb'),
    SHUTDOWN_TIMEOUT_MS: positiveInt(15000),
    /** Express `trust proxy`: which proxies may set X-Forwarded-For (client IPs for rate limits and audit). */
    TRUST_PROXY: z
      .string()
      .default('loopback')
      .transform((v) => (/^\d+$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v)),

    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI'),
    /** FerretDB only: update/delete statements this process keeps in flight (see infrastructure/mongo/bulk-writes.ts). */
    MONGO_BULK_STATEMENTS_IN_FLIGHT: z.coerce.number().int().min(1).max(45).default(16),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URI'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('ww'),

    /** BullMQ: a job whose worker died is taken over after its lock expires (renewed every half of it). */
    QUEUE_LOCK_DURATION_MS: positiveInt(30_000),
    /** BullMQ: how often a worker looks for jobs whose lock expired (a stalled job waits up to ~2 intervals). */
    QUEUE_STALLED_INTERVAL_MS: positiveInt(30_000),
    /** BullMQ: how often one job may stall (its worker died) and be taken over before it is failed. */
    QUEUE_MAX_STALLED_COUNT: positiveInt(2),

    GLOBAL_ID_PREFIX: z
      .string()
      .regex(/^[A-Z]{1,3}$/, '1–3 capital letters')
      .default('A'),

    JWT_SECRET: z.string().min(32, 'at least 32 characters'),
    JWT_ACCESS_TTL_SECONDS: positiveInt(900),
    REFRESH_TOKEN_TTL_DAYS: positiveInt(30),
    /** Absolute lifetime of a sign-in (a refresh-token family): rotation never extends it past this. */
    REFRESH_FAMILY_MAX_DAYS: positiveInt(30),
    BCRYPT_COST: z.coerce.number().int().min(12).max(15).default(12),
    ENCRYPTION_KEYS: encryptionKeys,
    ENCRYPTION_ACTIVE_KEY_ID: z.string().optional(),
    ADMIN_EMAILS: csv.transform((list) => list.map((e) => e.toLowerCase())),

    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().default('WestWallet <no-reply@westwallet.se>'),
    /** Admin mass mails (POST /admin/mail) queued per minute at most. */
    MASS_MAIL_PER_MINUTE: positiveInt(60),

    STRIPE_WEBHOOK_SECRET: z.string().min(10, 'the whsec_… signing secret of the Stripe endpoint').optional(),

    RATE_LIMIT_USER_PER_MIN: positiveInt(200),
    RATE_LIMIT_USER_WRITES_PER_MIN: positiveInt(20),
    RATE_LIMIT_USER_UPLOADS_PER_MIN: positiveInt(60),
    RATE_LIMIT_AUTH_IP_PER_MIN: positiveInt(30),
    /** Failed logins of one account from one client IP before that pair is locked (growing delay). */
    LOGIN_FAILURES_BEFORE_LOCK: positiveInt(5),
    /** The first lock; each further failure doubles it, up to LOGIN_LOCK_MAX_SECONDS. */
    LOGIN_LOCK_BASE_SECONDS: positiveInt(30),
    LOGIN_LOCK_MAX_SECONDS: positiveInt(900),
    /** Mails of one kind (password reset, verification) to one address per hour; more are dropped (still 202). */
    MAIL_PER_ADDRESS_PER_HOUR: positiveInt(3),

    /**
     * Webhooks: networks (CIDR, comma-separated) deliveries may reach although the SSRF guard refuses them otherwise
     * (a LAN Home Assistant); platform admins add more at /admin/webhooks/allowed-networks. Metadata addresses never.
     */
    WEBHOOKS_ALLOWED_NETWORKS: csv,
    /** Webhooks: one delivery attempt's timeout (connect, send, answer). */
    WEBHOOKS_TIMEOUT_MS: positiveInt(15_000),
    /** Webhooks: DNS servers (`ip` or `ip:port`, comma-separated) to resolve endpoint hosts with; unset: the system's. */
    WEBHOOKS_DNS_SERVERS: csv,
    ...storageEnvShape,
    UPLOAD_MAX_BYTES: positiveInt(20 * 1024 * 1024),
    /** Per image, all frames of an animation counted (see uploads/media/image-processor.ts for the figure). */
    UPLOAD_MAX_PIXELS: positiveInt(50_000_000),
    /** Swagger UI at /docs and the OpenAPI JSON; unset → on, except with NODE_ENV=production. */
    DOCS_ENABLED: bool.optional(),
    /** Bearer token Prometheus sends to GET /metrics (docs/system.md); unset → the route answers 404. */
    METRICS_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
    /** The deployed commit, shown by /admin/system (set by the build or the deploy). */
    GIT_COMMIT: z.string().max(64).optional(),
  })
  .superRefine((env, ctx) => {
    checkStorageEnv(env, ctx);
    if (env.NODE_ENV === 'production' && !env.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production' });
    }
    if (env.ENCRYPTION_ACTIVE_KEY_ID && !env.ENCRYPTION_KEYS.has(env.ENCRYPTION_ACTIVE_KEY_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_ACTIVE_KEY_ID'],
        message: 'is not one of ENCRYPTION_KEYS',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;
