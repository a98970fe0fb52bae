import { envSchema, type Env, type StorageEnvValues } from './config.schema';

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
  /** `massMailPerMinute`: admin mass mails (notifications module) handed to the mail queue per minute at most. */
  mail: { smtpUrl?: string; from: string; massMailPerMinute: number };
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
  /** Webhook deliveries (docs/webhooks.md): extra allowed networks, attempt timeout, DNS servers (none: the system's). */
  webhooks: { allowedNetworks: string[]; timeoutMs: number; dnsServers: string[] };
  uploadsDir: string;
  /** Where files live (docs/storage.md); `local.dir` is uploadsDir. */
  storage: StorageConfig;
  /** Largest upload in bytes (larger → 413) and largest image in pixels (width × height; larger → 422). */
  uploads: { maxBytes: number; maxPixels: number };
  /** `metricsToken`: GET /metrics wants it as a bearer token (unset: 404). `commit`: shown by /admin/system. */
  system: { metricsToken?: string; commit?: string };
}

export interface S3StorageConfig {
  endpoint?: string;
  /** Endpoint written into pre-signed URLs (what browsers reach), when it is not `endpoint`. */
  presignEndpoint?: string;
  region: string;
  bucket: string;
  prefix: string;
  /** Unset → the AWS SDK's default credential chain (instance roles, AWS_* variables). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** Seconds a pre-signed download URL lives; null → downloads stream through the API. */
  presignTtlSeconds: number | null;
  createBucket: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
}

export interface StorageConfig {
  driver: 'local' | 's3';
  local: { dir: string };
  /** Present whenever S3_BUCKET is set (also with the local driver: `npm run storage:migrate` copies into it). */
  s3: S3StorageConfig | null;
}

/** The storage part of the configuration, from already validated variables (loadConfig, storage:migrate). */
export function storageConfigOf(e: StorageEnvValues): StorageConfig {
  return {
    driver: e.STORAGE_DRIVER,
    local: { dir: e.UPLOADS_DIR },
    s3: e.S3_BUCKET
      ? {
          endpoint: e.S3_ENDPOINT,
          presignEndpoint: e.S3_PRESIGN_ENDPOINT,
          region: e.S3_REGION,
          bucket: e.S3_BUCKET,
          prefix: e.S3_PREFIX,
          credentials:
            e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
              ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
              : undefined,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
          presignTtlSeconds: e.S3_PRESIGN ? e.S3_PRESIGN_TTL_SECONDS : null,
          createBucket: e.S3_CREATE_BUCKET,
          connectTimeoutMs: e.S3_CONNECT_TIMEOUT_MS,
          requestTimeoutMs: e.S3_REQUEST_TIMEOUT_MS,
          maxAttempts: e.S3_MAX_ATTEMPTS,
        }
      : null,
  };
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
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, massMailPerMinute: e.MASS_MAIL_PER_MINUTE },
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
    webhooks: {
      allowedNetworks: e.WEBHOOKS_ALLOWED_NETWORKS,
      timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
      dnsServers: e.WEBHOOKS_DNS_SERVERS,
    },
    uploadsDir: e.UPLOADS_DIR,
    storage: storageConfigOf(e),
    uploads: { maxBytes: e.UPLOAD_MAX_BYTES, maxPixels: e.UPLOAD_MAX_PIXELS },
    system: { metricsToken: e.METRICS_TOKEN, commit: e.GIT_COMMIT },
  };
}

export const hasApi = (role: AppRole): boolean => role !== 'worker';
export const hasWorker = (role: AppRole): boolean => role !== 'api';
