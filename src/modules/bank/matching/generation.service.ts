import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { RequestContext } from '../../../common/context/request-context';
import { JOB_QUEUE, JobName, jobIdFor } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import type { EconomyWritesListener, MatchingInput } from '../../economy/economy.contract';
import { MatchingStateRepository } from './matching.repository';

/** What made the stored suggestions of an organization's open lines stale. */
export type GenerationReason = MatchingInput | 'policy' | 'line';

/**
 * A rematch after a change waits this long, so a burst of changes (someone entering ten bills, approving lines one
 * after the other) is matched once: later requests join the waiting job.
 */
const CHANGE_DELAY_MS = 2_000;

const newToken = (): string => randomBytes(9).toString('base64url');

/**
 * The organization's matching generation (see matching.schema.ts `MatchingStateEntity` and docs/bank.md "Stored
 * suggestions"): read by GET …/suggestions to tell stored suggestions from stale ones, read by every matching run
 * before it loads candidates (its results carry that token), replaced by every write to what matching reads — the
 * economy module tells it through `EconomyWritesListener` (economy.contract.ts), the bank's own writes (bookings,
 * rejects, undo) call `changed()` — which also queues the organization's one rematch job.
 */
@Injectable()
export class MatchingGenerationService implements EconomyWritesListener {
  private readonly logger = new Logger(MatchingGenerationService.name);

  constructor(
    private readonly state: MatchingStateRepository,
    private readonly jobs: JobQueue,
    private readonly context: RequestContext,
  ) {}

  /** The current token (null: nothing recorded yet). Reads only. */
  current(): Promise<string | null> {
    return this.state.current();
  }

  /** The token a matching run stores with its results; read before the run loads its candidates. */
  forRun(): Promise<string> {
    return this.state.ensure(newToken());
  }

  /**
   * Something matching reads changed (after the write): a new token — lines computed before it are stale — and a
   * rematch job. The token write fails like the write before it would (database down); a Redis that cannot take
   * the job is only logged: the lines stay visibly stale until the next change or `POST bank/lines/rematch`.
   */
  async changed(reason: GenerationReason): Promise<void> {
    if (!this.context.tenant) return; // a write outside any organization (none today) has no lines to go stale
    await this.state.replace(newToken(), reason);
    try {
      await this.requestRematch({ delayMs: CHANGE_DELAY_MS });
    } catch (error) {
      this.logger.warn({ err: error, reason }, 'Rematch not queued after a change to matching inputs');
    }
  }

  /** One line lost its suggestions (unignored): queue the rematch; Redis trouble is only logged. */
  async lineChanged(): Promise<void> {
    try {
      await this.requestRematch({ delayMs: CHANGE_DELAY_MS });
    } catch (error) {
      this.logger.warn({ err: error }, 'Rematch not queued after a line changed');
    }
  }

  economyChanged(kind: MatchingInput): Promise<void> {
    return this.changed(kind);
  }

  /**
   * Queues the organization's rematch, one at a time: BullMQ deduplication by organization keeps at most one job
   * waiting; a request while one runs leaves one follow-up run (`keepLastIfActive`), so a change made during a run
   * is matched too. Answers the id of the job that will do the work (the waiting or running one). Requests after a
   * change wait `CHANGE_DELAY_MS`; an explicit one (`POST bank/lines/rematch`) does not, unless it joins a waiting job.
   */
  async requestRematch(options: { delayMs?: number } = {}): Promise<{ jobId: string }> {
    const organizationId = this.context.requireTenant().organizationId;
    const dedupId = jobIdFor(JobName.BankMatch, organizationId);
    const own = jobIdFor(JobName.BankMatch, `${organizationId}-${newToken()}`);
    await this.jobs.add(
      JobName.BankMatch,
      { organizationId, requestedBy: this.context.actor?.userId ?? 'system' },
      {
        jobId: own,
        deduplication: { id: dedupId, keepLastIfActive: true },
        ...(options.delayMs ? { delay: options.delayMs } : {}),
      },
    );
    const holder = await this.jobs.queue(JOB_QUEUE[JobName.BankMatch]).getDeduplicationJobId(dedupId);
    return { jobId: holder ?? own };
  }
}
