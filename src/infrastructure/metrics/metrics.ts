import { Global, Injectable, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JobRuns } from './job-runs';

/** Seconds; HTTP and cache reads are mostly sub-10 ms, reports and imports may take seconds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900];
/** A webhook delivery times out after 15 s. */
const WEBHOOK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/**
 * The process's Prometheus metrics, on a registry of its own (not prom-client's global one, so tests and several
 * apps in one process do not collide). Served by `GET /metrics` (modules/system). Labels are bounded: routes are the
 * route patterns (`/api/v1/contracts/:id`), never raw URLs; unmatched requests share one label.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'westwallet_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code (count = request rate)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly jobDuration = new Histogram({
    name: 'westwallet_job_duration_seconds',
    help: 'Queue jobs run by this process, by queue, job name and outcome (completed | failed)',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });

  private readonly jobFailures = new Counter({
    name: 'westwallet_job_failures_total',
    help: 'Job attempts that threw, by queue and job name',
    labelNames: ['queue', 'job'] as const,
    registers: [this.registry],
  });

  private readonly webhookDeliveries = new Histogram({
    name: 'westwallet_webhook_delivery_duration_seconds',
    help: 'Webhook delivery attempts by outcome (e.g. delivered, failed, timeout, refused, gone)',
    labelNames: ['outcome'] as const,
    buckets: WEBHOOK_BUCKETS,
    registers: [this.registry],
  });

  /** Counted in a plain map (a hit is a few microseconds; a labelled `inc` would be one of them), read on scrape. */
  private readonly cacheReadCounts = new Map<string, number>();

  private readonly cacheReads = new Counter({
    name: 'westwallet_cache_reads_total',
    help: 'Cache reads by cache name and result (hit | miss | bypass)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
    collect: () => this.flushCacheReads(),
  });

  private readonly cacheComputes = new Counter({
    name: 'westwallet_cache_computes_total',
    help: 'Cached values computed (a miss that did not find another computation to wait for), by cache name',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });

  /** Set by whoever knows (the queue depths are read on scrape, see SystemService). */
  readonly queueJobs = new Gauge({
    name: 'westwallet_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, failed, delayed), read when /metrics or /admin/system is asked',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'westwallet_' });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  job(queue: string, job: string, outcome: 'completed' | 'failed', seconds: number): void {
    this.jobDuration.observe({ queue, job, outcome }, seconds);
    if (outcome === 'failed') this.jobFailures.inc({ queue, job });
  }

  /** One webhook delivery attempt (webhooks module): its outcome and how long the receiver took. */
  webhookDelivery(outcome: string, seconds: number): void {
    this.webhookDeliveries.observe({ outcome }, seconds);
  }

  cacheRead(cache: string, result: 'hit' | 'miss' | 'bypass'): void {
    const key = `${cache}\n${result}`;
    this.cacheReadCounts.set(key, (this.cacheReadCounts.get(key) ?? 0) + 1);
  }

  private flushCacheReads(): void {
    for (const [key, count] of this.cacheReadCounts) {
      const [cache, result] = key.split('\n');
      this.cacheReads.inc({ cache, result }, count);
    }
    this.cacheReadCounts.clear();
  }

  cacheCompute(cache: string): void {
    this.cacheComputes.inc({ cache });
  }

  /** How many values of `cache` were computed so far (tests of the single flight read it). */
  async cacheComputeCount(cache: string): Promise<number> {
    const metric = await this.cacheComputes.get();
    return metric.values.find((v) => v.labels.cache === cache)?.value ?? 0;
  }

  /** The text exposition format. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** The route pattern express matched (`/api/v1/contracts/:id`), or `unmatched` (404s, refused before routing). */
export function routeLabel(req: Request): string {
  const route = (req as unknown as { route?: { path?: unknown } }).route;
  const path = typeof route?.path === 'string' ? route.path : undefined;
  if (!path) return 'unmatched';
  return `${req.baseUrl ?? ''}${path}`;
}

/** Times every request from arrival to the response's last byte (including guards' refusals). */
@Injectable()
export class HttpMetricsMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.httpRequest(req.method, routeLabel(req), res.statusCode, seconds);
    });
    next();
  }
}

/** Global: any module injects `Metrics` (and `JobRuns`). Mounts the HTTP timing middleware on every route. */
@Global()
@Module({ providers: [Metrics, HttpMetricsMiddleware, JobRuns], exports: [Metrics, JobRuns] })
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
