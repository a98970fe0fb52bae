import { envSchema, type Env } from './config.schema';

export type AppRole = Env['APP_ROLE'];

/** The one typed configuration object. Built once from the environment; nothing else reads process.env. */
export interface AppConfig {
  env: Env['NODE_ENV'];
  role: AppRole;
  http: {
    host: string;
    port: number;
    publicUrl: string;
    bodyLimit: string;
    docsEnabled: boolean;
    trustProxy: string | number | boolean;
  };
  logLevel: Env['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  mongo: { uri: string; bulkStatementsInFlight: number };
  redis: { url: string; prefix: string };
  /** BullMQ worker timings: when a job whose worker died is taken over (lock + stalled check), and how often. */
  queue: { lockDurationMs: number; stalledIntervalMs: number; maxStalledCount: number };
  globalIdPrefix: string;
  auth: {
    jwtSecret: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    /** A sign-in's refresh tokens stop working this many days after the sign-in, however often they rotate. */
    refreshFamilyMaxDays: number;
    bcryptCost: number;
    adminEmails: string[];
  };
  crypto: { keys: Map<string, Buffer>; activeKeyId: string };
  mail: { smtpUrl?: string; from: string };
  /** Stripe webhook signing secret; unset → the Stripe webhook route answers 404. */
  billing: { stripeWebhookSecret?: string };
  rateLimits: {
    userPerMin: number;
    userWritesPerMin: number;
    userUploadsPerMin: number;
    authIpPerMin: number;
    /** Failed logins per account and client IP before a lock of loginLockBaseSeconds, doubling per failure. */
    loginFailuresBeforeLock: number;
    loginLockBaseSeconds: number;
    loginLockMaxSeconds: number;
    /** Reset or verification mails to one address per hour (each kind counted on its own). */
    mailPerAddressPerHour: number;
  };
  uploadsDir: string;
  /** Largest upload in bytes (larger → 413) and largest image in pixels (width × height; larger → 422). */
  uploads: { maxBytes: number; maxPixels: number };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

/** Validates the environment; throws ConfigError with one line naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (e.g. copied from .env.example) counts as not set.
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'} ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    role: e.APP_ROLE,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL.replace(/\/$/, ''),
      bodyLimit: e.BODY_LIMIT,
      docsEnabled: e.DOCS_ENABLED ?? e.NODE_ENV !== 'production',
      trustProxy: e.TRUST_PROXY,
    },
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    mongo: { uri: e.MONGODB_URI, bulkStatementsInFlight: e.MONGO_BULK_STATEMENTS_IN_FLIGHT },
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    queue: {
      lockDurationMs: e.QUEUE_LOCK_DURATION_MS,
      stalledIntervalMs: e.QUEUE_STALLED_INTERVAL_MS,
      maxStalledCount: e.QUEUE_MAX_STALLED_COUNT,
    },
    globalIdPrefix: e.GLOBAL_ID_PREFIX,
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
      refreshTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      refreshFamilyMaxDays: e.REFRESH_FAMILY_MAX_DAYS,
      bcryptCost: e.BCRYPT_COST,
      adminEmails: e.ADMIN_EMAILS,
    },
    crypto: {
      keys: e.ENCRYPTION_KEYS,
      activeKeyId: e.ENCRYPTION_ACTIVE_KEY_ID ?? [...e.ENCRYPTION_KEYS.keys()][0],
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    billing: { stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET },
    rateLimits: {
      userPerMin: e.RATE_LIMIT_USER_PER_MIN,
      userWritesPerMin: e.RATE_LIMIT_USER_WRITES_PER_MIN,
      userUploadsPerMin: e.RATE_LIMIT_USER_UPLOADS_PER_MIN,
      authIpPerMin: e.RATE_LIMIT_AUTH_IP_PER_MIN,
      loginFailuresBeforeLock: e.LOGIN_FAILURES_BEFORE_LOCK,
      loginLockBaseSeconds: e.LOGIN_LOCK_BASE_SECONDS,
      loginLockMaxSeconds: e.LOGIN_LOCK_MAX_SECONDS,
      mailPerAddressPerHour: e.MAIL_PER_ADDRESS_PER_HOUR,
    },
    uploadsDir: e.UPLOADS_DIR,
    uploads: { maxBytes: e.UPLOAD_MAX_BYTES, maxPixels: e.UPLOAD_MAX_PIXELS },
  };
}

export const hasApi = (role: AppRole): boolean => role !== 'worker';
export const hasWorker = (role: AppRole): boolean => role !== 'api';
