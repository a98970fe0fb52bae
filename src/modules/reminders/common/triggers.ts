/**
 * When a reminder is due: pure rules over calendar dates (Europe/Stockholm days) and odometer readings, shared by
 * every kind of reminder (contracts, cars, warranties, insurance, maintenance, bills). The daily run asks each
 * item for its trigger and stores what `dueReminder` returns under its key, once (docs/reminders.md).
 *
 * - A date trigger has lead times in days (default 30 and 7): the reminder for a lead is due from the day
 *   `dueDate - lead` until the due date itself. When the run missed days (or an item was created late) only the
 *   most urgent lead reached is produced, not every one passed.
 * - A distance trigger (cars, machines) is due when the odometer, estimated for today from the readings, is
 *   within `leadKm` (default 1 000 km) of the due reading.
 * - A service due "by date or by distance" is due when the first of the two is ("whichever comes first") or only
 *   when both are ("whichever comes later").
 */
import { addDays, daysBetween } from '../../../common/dates';

export const DEFAULT_LEAD_DAYS: readonly number[] = [30, 7];
export const DEFAULT_LEAD_KM = 1_000;

export interface DateTrigger {
  readonly dueDate: string;
  /** Days before the due date; 0 reminds on the day itself. */
  readonly leadDays: readonly number[];
}

export interface DistanceTrigger {
  readonly dueOdometer: number;
  readonly leadKm: number;
}

export type Combine = 'first' | 'later';

export interface Trigger {
  readonly date?: DateTrigger;
  readonly distance?: DistanceTrigger;
  /** Only read when both `date` and `distance` are given; default `first`. */
  readonly combine?: Combine;
}

export interface DueReminder {
  /** Stable for one due occasion and lead, so the daily run stores it once: `d30`, `d7`, `km1000`, `d7+km1000`. */
  readonly lead: string;
  /** The day the reminder became due (for a distance trigger: today, the day it was found). */
  readonly remindOn: string;
  readonly dueDate: string | null;
  readonly dueOdometer: number | null;
}

/** The most urgent lead of a date trigger reached on `today` (smallest lead whose day has come), or null. */
export function reachedLead(trigger: DateTrigger, today: string): number | null {
  if (today > trigger.dueDate) return null;
  const daysLeft = daysBetween(today, trigger.dueDate);
  let reached: number | null = null;
  for (const lead of trigger.leadDays) {
    if (lead >= daysLeft && (reached === null || lead < reached)) reached = lead;
  }
  return reached;
}

export function distanceReached(trigger: DistanceTrigger, odometer: number | null): boolean {
  return odometer !== null && odometer >= trigger.dueOdometer - trigger.leadKm;
}

/**
 * The reminder due on `today` for a trigger, or null. `odometer` is today's (estimated) reading for a distance
 * trigger. A date trigger past its due date produces nothing: overdue items are each module's own list.
 */
export function dueReminder(
  trigger: Trigger,
  today: string,
  odometer: number | null = null,
): DueReminder | null {
  const lead = trigger.date ? reachedLead(trigger.date, today) : null;
  const dateHit =
    trigger.date && lead !== null
      ? { lead: `d${lead}`, remindOn: addDays(trigger.date.dueDate, -lead) }
      : null;
  const kmHit =
    trigger.distance && distanceReached(trigger.distance, odometer)
      ? { lead: `km${trigger.distance.leadKm}`, remindOn: today }
      : null;
  const due = { dueDate: trigger.date?.dueDate ?? null, dueOdometer: trigger.distance?.dueOdometer ?? null };
  if (trigger.date && trigger.distance && trigger.combine === 'later') {
    return dateHit && kmHit ? { lead: `${dateHit.lead}+${kmHit.lead}`, remindOn: today, ...due } : null;
  }
  // A single trigger, or whichever comes first: the date's lead when reached, else the distance.
  const hit = dateHit ?? kmHit;
  return hit ? { ...hit, ...due } : null;
}

export interface OdometerReading {
  readonly date: string;
  readonly odometer: number;
}

/**
 * Today's odometer estimated from the readings (fuel, service and other car events): the latest reading plus the
 * average daily distance of the last year of readings times the days since. Null without readings.
 */
export function estimateOdometer(readings: readonly OdometerReading[], today: string): number | null {
  if (!readings.length) return null;
  const latest = readings.reduce((a, b) =>
    b.date > a.date || (b.date === a.date && b.odometer > a.odometer) ? b : a,
  );
  const perDay = dailyDistance(readings);
  const elapsed = Math.max(0, daysBetween(latest.date, today));
  return Math.round(latest.odometer + perDay * elapsed);
}

/** A reminder a person snoozed stays hidden until the day after `snoozedUntil`. */
export const isSnoozed = (snoozedUntil: string | null | undefined, today: string): boolean =>
  !!snoozedUntil && today <= snoozedUntil;

/**
 * The next day after `today` on which `dueReminder` for this trigger can give a different answer, or null when
 * only a change of the record can: each lead day of a date trigger, the day after its due date (an occasion past
 * its date rolls to the next term or vanishes), and for a distance trigger the day the odometer, growing by
 * `perDay` from today's `odometer`, first comes within the lead. The reminder schedule rechecks the record then.
 */
export function nextCheck(
  trigger: Trigger,
  today: string,
  odometer: number | null = null,
  perDay: number | null = null,
): string | null {
  const days: string[] = [];
  if (trigger.date) {
    for (const lead of trigger.date.leadDays) days.push(addDays(trigger.date.dueDate, -lead));
    days.push(addDays(trigger.date.dueDate, 1));
  }
  const distance = trigger.distance;
  if (
    distance &&
    odometer !== null &&
    perDay !== null &&
    perDay > 0 &&
    !distanceReached(distance, odometer)
  ) {
    const left = distance.dueOdometer - distance.leadKm - odometer;
    days.push(addDays(today, Math.max(1, Math.ceil(left / perDay))));
  }
  const later = days.filter((day) => day > today).sort();
  return later[0] ?? null;
}

/**
 * Whether `day` is the day after the trigger's due date: the day an occasion rolls to its next term or vanishes, so
 * a check then must look for reminders whose occasion is gone. On other days a record that did not change keeps
 * its occasions.
 */
export const rollsOver = (trigger: Trigger, day: string): boolean =>
  !!trigger.date && addDays(trigger.date.dueDate, 1) === day;

/** The average daily distance of the last year of readings (the rate `estimateOdometer` projects with). */
export function dailyDistance(readings: readonly OdometerReading[]): number {
  if (!readings.length) return 0;
  const sorted = [...readings].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.odometer - b.odometer,
  );
  const latest = sorted[sorted.length - 1];
  const since = addDays(latest.date, -365);
  const first = sorted.find((r) => r.date >= since) ?? latest;
  const span = daysBetween(first.date, latest.date);
  return span > 0 ? Math.max(0, latest.odometer - first.odometer) / span : 0;
}
