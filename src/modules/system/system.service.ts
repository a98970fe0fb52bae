import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import {
  HealthContributors,
  worstStatus,
  type HealthReport,
  type HealthStatus,
} from '../../infrastructure/health/health-contributors';
import { DatabasePing } from '../../infrastructure/health/database-ping';
import { withTimeout } from '../../infrastructure/health/readiness';
import { JobRuns, type JobRun } from '../../infrastructure/metrics/job-runs';
import { Metrics } from '../../infrastructure/metrics/metrics';
import { JobQueue } from '../../infrastructure/queue/queue.module';
import { JobName, QueueName } from '../../infrastructure/queue/queue.constants';
import { REDIS } from '../../infrastructure/redis/redis.module';

/** A probe (ping, SMTP check, queue counts) that takes longer than this counts as down. */
export const PROBE_TIMEOUT_MS = 2_000;
/** Slower pings than this make the database or Redis `degraded`. */
export const SLOW_PING_MS = 250;
/** A queue whose oldest waiting job is older than this is `degraded` (nothing takes its jobs). */
export const STUCK_QUEUE_MS = 15 * 60 * 1000;
/** Free space for uploads below either bound: `degraded`; below DISK_DOWN_BYTES: `down`. */
export const DISK_LOW_BYTES = 1024 ** 3;
export const DISK_LOW_SHARE = 0.05;
export const DISK_DOWN_BYTES = 100 * 1024 ** 2;
/** Jobs started by a scheduler (@Cron): a failed last run makes `jobs` degraded. */
export const SCHEDULED_JOBS: JobName[] = [
  JobName.BillingDailyTransitions,
  JobName.PurgeTrash,
  JobName.RemindersDaily,
];

export interface QueueHealth {
  waiting: number;
  active: number;
  failed: number;
  delayed: number;
  /** Seconds the oldest waiting job has waited; null when none waits. */
  oldestWaitingSeconds: number | null;
}

export interface SystemReport {
  status: HealthStatus;
  reasons: string[];
  checkedAt: string;
  version: string;
  commit: string | null;
  role: string;
  uptimeSeconds: number;
  startedAt: string;
  components: Record<string, HealthReport>;
}

const ms = (started: number) => Math.round((performance.now() - started) * 10) / 10;
const errorText = (error: unknown): string => {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : 'unknown error';
};

/** `dir`, or its nearest existing parent (the uploads directory is made with the first upload): its file system. */
async function statfsNearest(dir: string) {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      return await statfs(current);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT' || path.dirname(current) === current) throw error;
    }
  }
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * `/admin/system`: every dependency and background part checked at once, each with a status, details and reasons,
 * and one overall status (the worst) with every reason. Each probe is bounded by PROBE_TIMEOUT_MS, so the page
 * answers within a few seconds even with Redis or the database gone — then saying so.
 */
@Injectable()
export class SystemService {
  private readonly version = packageVersion();
  private readonly startedAt = new Date(Date.now() - process.uptime() * 1000);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: DatabasePing,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly jobs: JobQueue,
    private readonly jobRuns: JobRuns,
    private readonly contributors: HealthContributors,
    private readonly metrics: Metrics,
  ) {}

  async report(): Promise<SystemReport> {
    const [database, redis, queues, jobs, mail, disk, contributed] = await Promise.all([
      this.guard('database', () => this.ping('database', () => this.database.ping())),
      this.guard('redis', () => this.redisHealth()),
      this.guard('queues', () => this.queues()),
      this.guard('jobs', () => this.scheduledJobs()),
      this.guard('mail', () => this.mail()),
      this.guard('disk', () => this.disk()),
      this.contributors.runAll(),
    ]);
    const components: Record<string, HealthReport> = {
      database,
      redis,
      queues,
      jobs,
      mail,
      disk,
      ...contributed,
    };
    const all = Object.values(components);
    return {
      status: worstStatus(all.map((c) => c.status)),
      reasons: all.flatMap((c) => c.reasons),
      checkedAt: new Date().toISOString(),
      version: this.version,
      commit: this.config.system.commit ?? null,
      role: this.config.role,
      uptimeSeconds: Math.round(process.uptime()),
      startedAt: this.startedAt.toISOString(),
      components,
    };
  }

  /** Queue depths into the Prometheus gauges (on each scrape); a Redis that does not answer leaves them as they were. */
  async refreshQueueGauges(): Promise<void> {
    try {
      const counts = await withTimeout(this.queueCounts(), PROBE_TIMEOUT_MS, () => new Error('timeout'));
      for (const [queue, c] of Object.entries(counts))
        for (const state of ['waiting', 'active', 'failed', 'delayed'] as const)
          this.metrics.queueJobs.set({ queue, state }, c[state]);
    } catch {
      // the scrape still answers with everything else
    }
  }

  private async guard(name: string, check: () => Promise<HealthReport>): Promise<HealthReport> {
    try {
      return await withTimeout(check(), PROBE_TIMEOUT_MS + 500, () => new Error('no answer in time'));
    } catch (error) {
      return { status: 'down', details: {}, reasons: [`${name}: ${errorText(error)}`] };
    }
  }

  private async ping(name: string, ping: () => Promise<unknown>): Promise<HealthReport> {
    const started = performance.now();
    try {
      await withTimeout(ping(), PROBE_TIMEOUT_MS, () => new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`));
    } catch (error) {
      return { status: 'down', details: { latencyMs: null }, reasons: [`${name}: ${errorText(error)}`] };
    }
    const latencyMs = ms(started);
    const slow = latencyMs > SLOW_PING_MS;
    return {
      status: slow ? 'degraded' : 'ok',
      details: { latencyMs },
      reasons: slow ? [`${name}: ping took ${latencyMs} ms (over ${SLOW_PING_MS} ms)`] : [],
    };
  }

  private redisHealth(): Promise<HealthReport> {
    if (this.redis.status !== 'ready')
      return Promise.resolve({
        status: 'down',
        details: { latencyMs: null, connection: this.redis.status },
        reasons: [`redis: not connected (${this.redis.status})`],
      });
    return this.ping('redis', () => this.redis.ping());
  }

  private async queueCounts(): Promise<Record<string, QueueHealth>> {
    const now = Date.now();
    const entries = await Promise.all(
      Object.values(QueueName).map(async (name): Promise<[string, QueueHealth]> => {
        const queue = this.jobs.queue(name);
        const [counts, oldest] = await Promise.all([
          queue.getJobCounts('waiting', 'active', 'failed', 'delayed'),
          queue.getJobs(['waiting'], 0, 0, true),
        ]);
        const first = oldest[0];
        return [
          name,
          {
            waiting: counts.waiting ?? 0,
            active: counts.active ?? 0,
            failed: counts.failed ?? 0,
            delayed: counts.delayed ?? 0,
            oldestWaitingSeconds: first ? Math.max(0, Math.round((now - first.timestamp) / 1000)) : null,
          },
        ];
      }),
    );
    return Object.fromEntries(entries);
  }

  private async queues(): Promise<HealthReport> {
    if (this.redis.status !== 'ready')
      return { status: 'down', details: {}, reasons: ['queues: Redis is not connected'] };
    const counts = await withTimeout(
      this.queueCounts(),
      PROBE_TIMEOUT_MS,
      () => new Error('queue counts timed out'),
    );
    const reasons = Object.entries(counts)
      .filter(([, q]) => (q.oldestWaitingSeconds ?? 0) * 1000 > STUCK_QUEUE_MS)
      .map(([name, q]) => `queues: ${name}'s oldest waiting job has waited ${q.oldestWaitingSeconds} s`);
    for (const [queue, c] of Object.entries(counts))
      for (const state of ['waiting', 'active', 'failed', 'delayed'] as const)
        this.metrics.queueJobs.set({ queue, state }, c[state]);
    return { status: reasons.length ? 'degraded' : 'ok', details: counts, reasons };
  }

  private async scheduledJobs(): Promise<HealthReport> {
    const runs = await this.jobRuns.all();
    const details: Record<string, (JobRun & { scheduled: boolean }) | { scheduled: boolean; lastRun: null }> =
      {};
    for (const name of Object.values(JobName)) {
      const scheduled = SCHEDULED_JOBS.includes(name);
      details[name] = runs[name] ? { ...runs[name], scheduled } : { scheduled, lastRun: null };
    }
    const reasons = SCHEDULED_JOBS.filter((name) => runs[name]?.outcome === 'failed').map(
      (name) => `jobs: the last run of ${name} failed (${runs[name]?.error ?? 'no error text'})`,
    );
    return { status: reasons.length ? 'degraded' : 'ok', details, reasons };
  }

  private async mail(): Promise<HealthReport> {
    const now = Date.now();
    const [lastCompleted, failures24h, smtp] = await Promise.all([
      this.jobRuns.lastCompleted().then((all) => all[JobName.SendMail] ?? null),
      this.jobRuns.failuresInWindow(JobName.SendMail, now),
      this.smtp(),
    ]);
    const reasons: string[] = [];
    let status: HealthStatus = 'ok';
    if (smtp.reachable === false) {
      status = 'down';
      reasons.push(`mail: SMTP server not reachable (${smtp.error})`);
    } else if (smtp.reachable === null && this.config.env === 'production') {
      status = 'degraded';
      reasons.push('mail: SMTP_URL is not set, mails are only written to the log');
    }
    if (failures24h > 0) {
      if (status === 'ok') status = 'degraded';
      reasons.push(`mail: ${failures24h} failed send attempt(s) in the last 24 h`);
    }
    return {
      status,
      details: {
        smtpConfigured: smtp.reachable !== null,
        smtpReachable: smtp.reachable,
        lastSuccessfulSendAt: lastCompleted,
        failuresLast24h: failures24h,
      },
      reasons,
    };
  }

  /** Connects and greets the SMTP server (nodemailer `verify`); null when no SMTP_URL is set. */
  private async smtp(): Promise<{ reachable: boolean | null; error?: string }> {
    const url = this.config.mail.smtpUrl;
    if (!url) return { reachable: null };
    const transport = createTransport(url, {});
    try {
      await withTimeout(
        transport.verify(),
        PROBE_TIMEOUT_MS,
        () => new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`),
      );
      return { reachable: true };
    } catch (error) {
      return { reachable: false, error: errorText(error) };
    } finally {
      transport.close();
    }
  }

  private async disk(): Promise<HealthReport> {
    if (this.config.storage?.driver === 's3') return { status: 'ok', details: { driver: 's3' }, reasons: [] }; // files live in object storage (its own check)
    const dir = path.resolve(this.config.uploadsDir);
    let stats;
    try {
      stats = await statfsNearest(dir);
    } catch (error) {
      return {
        status: 'down',
        details: { path: dir },
        reasons: [`disk: cannot read ${dir} (${errorText(error)})`],
      };
    }
    const freeBytes = stats.bavail * stats.bsize;
    const totalBytes = stats.blocks * stats.bsize;
    const share = totalBytes ? freeBytes / totalBytes : 0;
    const details = { path: dir, freeBytes, totalBytes, freeShare: Math.round(share * 1000) / 1000 };
    if (freeBytes < DISK_DOWN_BYTES)
      return { status: 'down', details, reasons: [`disk: only ${freeBytes} bytes free for uploads`] };
    if (freeBytes < DISK_LOW_BYTES || share < DISK_LOW_SHARE)
      return {
        status: 'degraded',
        details,
        reasons: [`disk: little space left for uploads (${Math.round(share * 100)} % free)`],
      };
    return { status: 'ok', details, reasons: [] };
  }
}
