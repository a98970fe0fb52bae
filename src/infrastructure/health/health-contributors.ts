import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { withTimeout } from './readiness';

export type HealthStatus = 'ok' | 'degraded' | 'down';

/** What a contributor's check answers: a status, free-form details shown as they are, and why it is not ok. */
export interface HealthReport {
  status: HealthStatus;
  /** Shown under the contributor's name in `/admin/system` (counts, ages, hosts; never secrets). */
  details: Record<string, unknown>;
  /** One short English sentence per problem; empty when ok. They become the overall status's reasons. */
  reasons: string[];
}

/** A named health check a module registers (e.g. `webhooks`, `storage`); `/admin/system` runs every one. */
export interface HealthContributor {
  /** Unique, lower-case: the key under `components` in `/admin/system`. */
  name: string;
  check(): Promise<HealthReport>;
}

/** A check that does not answer within this long counts as down (one slow dependency must not hold the page). */
export const CONTRIBUTOR_TIMEOUT_MS = 3_000;

/**
 * The registry of health checks. A module registers its contributor once, in `onModuleInit`:
 *
 *     constructor(private readonly health: HealthContributors) {}
 *     onModuleInit() { this.health.register({ name: 'webhooks', check: () => this.webhookHealth() }); }
 *
 * `runAll` runs every check at once; one that throws or takes longer than CONTRIBUTOR_TIMEOUT_MS is reported as
 * `down` with the reason, so a broken check can never break `/admin/system`.
 */
@Injectable()
export class HealthContributors {
  private readonly contributors = new Map<string, HealthContributor>();
  private readonly logger = new Logger(HealthContributors.name);

  register(contributor: HealthContributor): void {
    if (!/^[a-z][a-z0-9-]*$/.test(contributor.name))
      throw new Error(`Health contributor name must be lower-case letters, digits, '-': ${contributor.name}`);
    if (this.contributors.has(contributor.name))
      throw new Error(`Two health contributors named ${contributor.name}`);
    this.contributors.set(contributor.name, contributor);
  }

  names(): string[] {
    return [...this.contributors.keys()].sort();
  }

  async runAll(timeoutMs = CONTRIBUTOR_TIMEOUT_MS): Promise<Record<string, HealthReport>> {
    const entries = await Promise.all(
      this.names().map(async (name): Promise<[string, HealthReport]> => {
        const contributor = this.contributors.get(name)!;
        try {
          const report = await withTimeout(
            contributor.check(),
            timeoutMs,
            () => new Error(`no answer within ${timeoutMs} ms`),
          );
          return [name, normalise(report)];
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn({ contributor: name, err: error }, `Health check ${name} failed: ${message}`);
          return [name, { status: 'down', details: {}, reasons: [`${name}: check failed (${message})`] }];
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}

function normalise(report: HealthReport): HealthReport {
  const status: HealthStatus = ['ok', 'degraded', 'down'].includes(report?.status) ? report.status : 'down';
  return {
    status,
    details: report?.details ?? {},
    reasons: Array.isArray(report?.reasons) ? report.reasons.map(String) : [],
  };
}

/** The worst of several statuses (down > degraded > ok). */
export function worstStatus(statuses: HealthStatus[]): HealthStatus {
  if (statuses.includes('down')) return 'down';
  if (statuses.includes('degraded')) return 'degraded';
  return 'ok';
}

/** Global: any module injects `HealthContributors` to register its check. */
@Global()
@Module({ providers: [HealthContributors], exports: [HealthContributors] })
export class HealthContributorsModule {}
