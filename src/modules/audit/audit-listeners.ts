import { Injectable, Logger } from '@nestjs/common';
import type { AuditEntry } from './audit.schema';

/**
 * Reacts to an audit entry right after it is written, inside the same service call as the change it describes.
 * Every state change of every module is audited, so this is the one place other modules learn about changes
 * (webhook outbox, notifications, the reminder schedule) without each write path calling them.
 */
export interface AuditListener {
  onAudit(entry: AuditEntry): Promise<void>;
}

export interface AuditListenerOptions {
  /**
   * `true`: a failure fails the change's request (the entry is written; the caller sees the error and may retry),
   * for listeners whose work must not be lost (an outbox). `false` (default): a failure is logged and the change
   * succeeds; such a listener repairs itself later (e.g. the reminder schedule's own refresh job).
   */
  required?: boolean;
}

/** The registry of audit listeners; modules register theirs in `onModuleInit`. */
@Injectable()
export class AuditListeners {
  private readonly logger = new Logger(AuditListeners.name);
  private readonly listeners: { name: string; listener: AuditListener; required: boolean }[] = [];

  register(name: string, listener: AuditListener, options: AuditListenerOptions = {}): void {
    if (this.listeners.some((entry) => entry.name === name)) {
      throw new Error(`Audit listener "${name}" is registered twice`);
    }
    this.listeners.push({ name, listener, required: options.required ?? false });
  }

  /** Runs every listener in registration order; see `AuditListenerOptions.required`. */
  async notify(entry: AuditEntry): Promise<void> {
    for (const { name, listener, required } of this.listeners) {
      try {
        await listener.onAudit(entry);
      } catch (error) {
        if (required) throw error;
        this.logger.error(
          { err: error, listener: name, auditId: entry._id, action: entry.action },
          'audit listener failed',
        );
      }
    }
  }
}

export type { AuditEntry } from './audit.schema';
