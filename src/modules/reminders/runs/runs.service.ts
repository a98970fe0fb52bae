import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { dueReminder } from '../common/triggers';
import type { DueReminder, ReminderOccasion } from '../reminders.contract';
import { RemindersRepository, type NewReminder } from '../reminders/reminders.repository';
import { ReminderSources } from '../sources/reminder-sources';
import { ReminderListeners } from './reminder-listeners';

/** Ids reserved per call of the global id service. */
const ID_BLOCK = 1_000;

export interface ReminderRun {
  date: string;
  occasions: number;
  created: number;
  /** Obsolete reminders whose occasion came back (the record was restored) and are open again. */
  reopened: number;
  obsolete: number;
  /** Milliseconds per step: each source (by its first kind), `store`, `obsolete` — the job's return value. */
  ms: Record<string, number>;
}

const since = (started: bigint) => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;

export const occasionKey = (o: ReminderOccasion): string =>
  [
    o.kind,
    o.sourceType,
    o.sourceId,
    o.trigger.date?.dueDate ?? '',
    o.trigger.distance?.dueOdometer ?? '',
  ].join(':');

const dueView = (r: NewReminder): DueReminder => ({
  id: r._id,
  kind: r.kind,
  sourceType: r.sourceType,
  sourceId: r.sourceId,
  remindOn: r.remindOn,
  dueDate: r.dueDate,
  dueOdometer: r.dueOdometer,
  lead: r.lead,
  title: { sv: r.titleSv, en: r.titleEn },
  amount: r.amount,
  currency: r.currency,
});

/**
 * One organization's reminder run for a day (in its tenant context): asks every source for its occasions, stores
 * the reminders due that day that are not stored yet (by key), and marks open reminders whose occasion is gone
 * (the contract was cancelled, the bill paid, the deadline moved) obsolete. Safe to run again: a rerun finds its
 * reminders stored and its obsolete ones marked.
 */
@Injectable()
export class ReminderRunsService {
  constructor(
    private readonly sources: ReminderSources,
    private readonly reminders: RemindersRepository,
    private readonly ids: GlobalIdService,
    private readonly listeners: ReminderListeners,
    private readonly context: RequestContext,
  ) {}

  async run(date: string): Promise<ReminderRun> {
    const ms: Record<string, number> = {};
    const perSource = await Promise.all(
      this.sources.all().map(async (source) => {
        const started = process.hrtime.bigint();
        const found = await source.occasions(date);
        ms[source.kinds[0] ?? 'source'] = since(started);
        return found;
      }),
    );
    const occasions = perSource.flat();
    let started = process.hrtime.bigint();
    const current = new Set(occasions.map(occasionKey));
    const due: Omit<NewReminder, '_id'>[] = [];
    for (const o of occasions) {
      const hit = dueReminder(o.trigger, date, o.odometer ?? null);
      if (!hit) continue;
      const occasion = occasionKey(o);
      due.push({
        kind: o.kind,
        sourceType: o.sourceType,
        sourceId: o.sourceId,
        occasion,
        key: `${occasion}:${hit.lead}`,
        lead: hit.lead,
        remindOn: hit.remindOn,
        dueDate: hit.dueDate,
        dueOdometer: hit.dueOdometer,
        titleSv: o.title.sv,
        titleEn: o.title.en,
        amount: o.amount ?? null,
        currency: o.currency ?? null,
        state: 'open',
        snoozedUntil: null,
        doneAt: null,
        doneBy: null,
      });
    }
    let created = 0;
    let reopened = 0;
    const told: DueReminder[] = [];
    for (let i = 0; i < due.length; i += ID_BLOCK) {
      const part = due.slice(i, i + ID_BLOCK);
      const stored = await this.reminders.byKeys(part.map((r) => r.key));
      const back = part.flatMap((r) => {
        const found = stored.get(r.key);
        return found?.state === 'obsolete' ? [{ ...r, _id: found.id }] : [];
      });
      reopened += await this.reminders.reopen(back.map((r) => r._id));
      told.push(...back.map(dueView));
      const fresh = part.filter((r) => !stored.has(r.key));
      if (!fresh.length) continue;
      const ids = await this.ids.reserveGlobalIds(fresh.length);
      const added = await this.reminders.addNew(fresh.map((r, n) => ({ ...r, _id: ids[n] })));
      created += added.length;
      told.push(...added.map(dueView));
    }
    ms.store = since(started);
    await this.listeners.notify(this.context.requireTenant().organizationId, told);
    started = process.hrtime.bigint();
    const kinds = new Set<string>(this.sources.kinds());
    const gone = (await this.reminders.open()).filter((r) => kinds.has(r.kind) && !current.has(r.occasion));
    const obsolete = await this.reminders.markObsolete(gone.map((r) => r._id));
    ms.obsolete = since(started);
    return { date, occasions: occasions.length, created, reopened, obsolete, ms };
  }
}
