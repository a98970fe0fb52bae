import { Injectable, Logger } from '@nestjs/common';
import type { DueReminder, ReminderListener } from '../reminders.contract';

/** Who hears about reminders as they become due (notifications, webhooks); see `ReminderListener`. */
@Injectable()
export class ReminderListeners {
  private readonly logger = new Logger(ReminderListeners.name);
  private readonly listeners: { name: string; listener: ReminderListener }[] = [];

  register(name: string, listener: ReminderListener): void {
    if (this.listeners.some((entry) => entry.name === name)) {
      throw new Error(`Reminder listener "${name}" is registered twice`);
    }
    this.listeners.push({ name, listener });
  }

  async notify(organizationId: string, reminders: DueReminder[]): Promise<void> {
    if (!reminders.length) return;
    for (const { name, listener } of this.listeners) {
      try {
        await listener.onRemindersDue(organizationId, reminders);
      } catch (error) {
        this.logger.error({ err: error, listener: name, organizationId }, 'reminder listener failed');
      }
    }
  }
}
