import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { dueReminder, nextCheck, rollsOver } from '../common/triggers';
import type { DueReminder, ReminderOccasion, ReminderSource } from '../reminders.contract';
import { RemindersRepository, type NewReminder } from '../reminders/reminders.repository';
import { ReminderChecksRepository, ReminderSchedulesRepository } from '../schedule/schedule.repository';
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
  /** Records with a next check day set. */
  checks: number;
  /** Milliseconds per step: each source (by its first kind), `store`, `obsolete`, `schedule` — the job's return. */
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

/** The version of the sources' rules a full run builds the schedule with; raising it rebuilds every schedule. */
export const SCHEDULE_VERSION = 1;

/** A record to check: a source's record type and id; `rollover`: an occasion of it passed its date. */
export interface CheckRef {
  sourceType: string;
  sourceId: string;
  rollover?: boolean;
}

interface Part {
  source: ReminderSource;
  /** Undefined: every record of the source (a full run). */
  ids?: readonly string[];
  /** Of `ids`, those whose open reminders may have lost their occasion (all of them after a change). */
  vanishing?: readonly string[];
}

const sourceFilter = (ids: readonly string[]) => (ids.length === 1 ? ids[0] : { $in: [...ids] });

/**
 * Checks records for the reminder engine inside one organization (its tenant context), for a day: asks their
 * sources for the occasions, stores the reminders due that day that are not stored yet (by key), marks open
 * reminders whose occasion is gone (the contract was cancelled, the bill paid, the deadline moved) obsolete, and
 * sets each record's next check in the schedule. `run` checks every record (and builds the schedule); the daily
 * scan and every audited change check only the records concerned. Safe to repeat: a rerun finds its reminders
 * stored and its obsolete ones marked.
 */
@Injectable()
export class ReminderRunsService {
  constructor(
    private readonly sources: ReminderSources,
    private readonly reminders: RemindersRepository,
    private readonly checks: ReminderChecksRepository,
    private readonly schedules: ReminderSchedulesRepository,
    private readonly ids: GlobalIdService,
    private readonly listeners: ReminderListeners,
    private readonly context: RequestContext,
  ) {}

  /**
   * Every record of every source, and the organization's schedule built anew. What sources derive from a record's
   * history is kept current when the record changes, so a full run derives only what is missing.
   */
  async run(date: string): Promise<ReminderRun> {
    const result = await this.check(
      date,
      this.sources.all().map((source) => ({ source })),
      false,
    );
    await this.schedules.markBuilt(SCHEDULE_VERSION, date);
    return result;
  }

  /**
   * These records only. `changed`: they were just written (their sources derive again what they keep), rather
   * than due for their scheduled check.
   */
  checkRecords(date: string, refs: readonly CheckRef[], changed: boolean): Promise<ReminderRun> {
    const parts: Part[] = [];
    for (const source of this.sources.all()) {
      const mine = refs.filter((r) => r.sourceType === source.sourceType);
      const ids = [...new Set(mine.map((r) => r.sourceId))];
      const vanishing = changed ? ids : [...new Set(mine.filter((r) => r.rollover).map((r) => r.sourceId))];
      if (ids.length) parts.push({ source, ids, vanishing });
    }
    return this.check(date, parts, changed);
  }

  private async check(date: string, parts: readonly Part[], changed: boolean): Promise<ReminderRun> {
    const ms: Record<string, number> = {};
    const found = await Promise.all(
      parts.map(async ({ source, ids }) => {
        const started = process.hrtime.bigint();
        const occasions = await source.occasions(date, ids, changed);
        ms[source.kinds[0] ?? 'source'] = since(started);
        return occasions;
      }),
    );
    const occasions = found.flat();
    let started = process.hrtime.bigint();
    const { created, reopened } = await this.store(date, occasions);
    ms.store = since(started);

    started = process.hrtime.bigint();
    const current = new Set(occasions.map(occasionKey));
    let obsolete = 0;
    const allOpen = parts.some((part) => !part.ids) ? await this.reminders.open() : [];
    for (const { source, ids, vanishing } of parts) {
      // A scheduled check on a lead day keeps every occasion: nothing to read.
      if (ids && !vanishing?.length) continue;
      const kinds = new Set<string>(source.kinds);
      const open = vanishing ? await this.reminders.openOf(sourceFilter(vanishing)) : allOpen;
      const gone = open.filter((r) => kinds.has(r.kind) && !current.has(r.occasion));
      obsolete += await this.reminders.markObsolete(gone.map((r) => r._id));
    }
    ms.obsolete = since(started);

    started = process.hrtime.bigint();
    const next = new Map<string, { day: string | null; rollover: boolean }>();
    for (const o of occasions) {
      const day = nextCheck(o.trigger, date, o.odometer ?? null, o.odometerPerDay ?? null);
      const rollover = day !== null && rollsOver(o.trigger, day);
      const key = `${o.sourceType}:${o.sourceId}`;
      const before = next.get(key);
      if (!before || (day !== null && (before.day === null || day < before.day)))
        next.set(key, { day, rollover });
      else if (day !== null && day === before.day) before.rollover ||= rollover;
    }
    let checks = 0;
    for (const { source, ids } of parts) {
      const records = ids ?? [
        ...new Set(occasions.filter((o) => o.sourceType === source.sourceType).map((o) => o.sourceId)),
      ];
      const rows = records.map((sourceId) => ({
        sourceType: source.sourceType,
        sourceId,
        ...(next.get(`${source.sourceType}:${sourceId}`) ?? { day: null, rollover: false }),
      }));
      if (ids) await this.checks.add(rows);
      else await this.checks.replaceAll([source.sourceType], rows);
      checks += rows.filter((r) => r.day !== null).length;
    }
    ms.schedule = since(started);
    return { date, occasions: occasions.length, created, reopened, obsolete, checks, ms };
  }

  /** Stores the reminders due on `date` that are not stored yet and tells the listeners about them. */
  private async store(
    date: string,
    occasions: readonly ReminderOccasion[],
  ): Promise<{ created: number; reopened: number }> {
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
      // Insert first: usually every one is new. A duplicate key is a reminder stored before (in any state);
      // only those are read, to open again the obsolete ones whose occasion came back.
      const ids = await this.ids.reserveGlobalIds(part.length);
      const added = await this.reminders.addNew(part.map((r, n) => ({ ...r, _id: ids[n] })));
      created += added.length;
      told.push(...added.map(dueView));
      if (added.length === part.length) continue;
      const addedKeys = new Set(added.map((r) => r.key));
      const stored = await this.reminders.byKeys(part.filter((r) => !addedKeys.has(r.key)).map((r) => r.key));
      const back = part.flatMap((r) => {
        const found = stored.get(r.key);
        return found?.state === 'obsolete' ? [{ ...r, _id: found.id }] : [];
      });
      reopened += await this.reminders.reopen(back.map((r) => r._id));
      told.push(...back.map(dueView));
    }
    await this.listeners.notify(this.context.requireTenant().organizationId, told);
    return { created, reopened };
  }
}
