import { Injectable } from '@nestjs/common';
import type { ReminderKind, ReminderSource } from '../reminders.contract';

/** The registered reminder sources; each kind belongs to one source. */
@Injectable()
export class ReminderSources {
  private readonly sources: ReminderSource[] = [];

  register(source: ReminderSource): void {
    const taken = source.kinds.filter((kind) => this.all().some((s) => s.kinds.includes(kind)));
    if (taken.length) throw new Error(`reminder kinds registered twice: ${taken.join(', ')}`);
    this.sources.push(source);
  }

  all(): readonly ReminderSource[] {
    return this.sources;
  }

  kinds(): ReminderKind[] {
    return this.sources.flatMap((s) => s.kinds);
  }
}
