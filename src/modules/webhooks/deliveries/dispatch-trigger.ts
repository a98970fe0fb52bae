import { Injectable, Logger } from '@nestjs/common';

/**
 * Asks the dispatcher for a pass soon after something was queued, so a first attempt goes out within milliseconds
 * instead of at the next poll. At most one pass runs per process and one more is remembered; the poll (every
 * second, worker role) is what guarantees progress — this only shortens the wait.
 */
@Injectable()
export class DispatchTrigger {
  private readonly logger = new Logger(DispatchTrigger.name);
  private pass: (() => Promise<unknown>) | null = null;
  private running = false;
  private again = false;

  /** The dispatcher registers its pass at start-up. */
  bind(pass: () => Promise<unknown>): void {
    this.pass = pass;
  }

  soon(): void {
    if (!this.pass) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.pass!();
      } while (this.again);
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook dispatch pass failed; the poll retries');
    } finally {
      this.running = false;
    }
  }
}
