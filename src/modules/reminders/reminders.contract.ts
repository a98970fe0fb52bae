import type { Trigger } from './common/triggers';

export {
  dailyDistance,
  DEFAULT_LEAD_DAYS,
  DEFAULT_LEAD_KM,
  estimateOdometer,
  type Trigger,
} from './common/triggers';

/**
 * What the reminders module offers the modules whose records have due dates: they register a `ReminderSource`
 * with `ReminderSources` (`sources/reminder-sources.ts`, exported by RemindersModule) in `onModuleInit`. The engine
 * asks a source for the occasions of the records that changed (every audited change of a record type it names)
 * and of the records whose next check day has come (docs/reminders.md).
 */

/** Every kind of reminder; stored and used in per-user settings, so never rename a value. */
export const REMINDER_KINDS = [
  'contract.cancel',
  'contract.renewal',
  'contract.price',
  'bill.due',
  'car.service',
  'car.inspection',
  'car.tax',
  'car.insurance',
  'warranty.expiry',
  'insurance.renewal',
  'maintenance.task',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** Something with a due date (or odometer reading) that people want to hear about before it comes. */
export interface ReminderOccasion {
  kind: ReminderKind;
  /** The record it is about: its registered record type and id. */
  sourceType: string;
  sourceId: string;
  /** What the reminder says, in Swedish and English ("Sista dag att säga upp Bahnhof Fiber"). */
  title: { sv: string; en: string };
  trigger: Trigger;
  /** Today's (estimated) odometer, for a distance trigger. */
  odometer?: number | null;
  /** How fast the odometer grows a day, when it is estimated: the schedule projects the day it gets close. */
  odometerPerDay?: number | null;
  /** An amount the occasion is about (öre), e.g. the bill or the new price. */
  amount?: number | null;
  currency?: string | null;
}

export interface ReminderSource {
  /** The kinds this source produces (its occasions' `kind`). */
  readonly kinds: readonly ReminderKind[];
  /** The record type of its occasions' `sourceId`s (a `RecordRegistry` type: trash restores name it too). */
  readonly sourceType: string;
  /**
   * Other record types whose audited changes change an occasion (a car's events move its service reminder):
   * `sourceIdsOf` answers which of this source's records one of them concerns.
   */
  readonly relatedTypes?: readonly string[];
  sourceIdsOf?(targetType: string, targetId: string): Promise<string[]>;
  /**
   * The current occasions of the context's organization on `today` (due or not yet due): of the records `ids`
   * (a deleted or unknown id has none), or of all its records when `ids` is omitted. `changed`: these records
   * were just written, so anything the source keeps derived from them must be computed again.
   */
  occasions(today: string, ids?: readonly string[], changed?: boolean): Promise<ReminderOccasion[]>;
}

/** A reminder the run has just stored (or opened again): what a notification or a webhook says about it. */
export interface DueReminder {
  id: string;
  kind: ReminderKind;
  sourceType: string;
  sourceId: string;
  /** The day it was due to be reminded of (lead days before `dueDate`, or the day the odometer got close). */
  remindOn: string;
  dueDate: string | null;
  dueOdometer: number | null;
  /** The lead this reminder is for: `d30` (30 days before), `km1000` (1 000 km before). */
  lead: string;
  title: { sv: string; en: string };
  amount: number | null;
  currency: string | null;
}

/**
 * Told about reminders that became due: register with `ReminderListeners` (exported by RemindersModule) in
 * `onModuleInit`. Called in the organization's tenant context after the reminders are stored, once per run
 * that stored them; a failure is logged and does not undo the run (a listener keeps its own "sent" keys, so a
 * rerun of the day does not repeat what it already did).
 */
export interface ReminderListener {
  onRemindersDue(organizationId: string, reminders: DueReminder[]): Promise<void>;
}
