import { addDays, daysBetween, TIME_ZONE } from '../../../common/dates';

/** Quiet hours in Stockholm time, `HH:MM` each; `start > end` spans midnight (22:00–07:00). */
export interface QuietHours {
  start: string;
  end: string;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Stockholm's calendar date and minute of the day of an instant. */
export function stockholmClock(instant: Date): { date: string; minute: number } {
  const p = Object.fromEntries(PARTS.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
}

/**
 * The instant of a Stockholm wall-clock time on a date (summer or winter time alike). A time that does not exist
 * (02:30 on the last Sunday of March) comes out an hour later, as clocks show it.
 */
export function stockholmInstant(date: string, minute: number): Date {
  const guess = new Date(`${date}T00:00:00Z`).getTime() + minute * 60_000;
  // Stockholm is UTC+1 or UTC+2: try both offsets and keep the one whose wall clock matches.
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(guess - offsetHours * 3_600_000);
    const seen = stockholmClock(candidate);
    if (seen.date === date && seen.minute === minute) return candidate;
  }
  return new Date(guess - 3_600_000);
}

export function isQuiet(quiet: QuietHours | null, instant: Date): boolean {
  if (!quiet) return false;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const { minute } = stockholmClock(instant);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** `at`, or the end of the quiet hours it falls in (Europe/Stockholm). */
export function afterQuietHours(quiet: QuietHours | null, at: Date): Date {
  if (!quiet || !isQuiet(quiet, at)) return at;
  const end = minutesOf(quiet.end);
  const { date, minute } = stockholmClock(at);
  // Spanning midnight and still before it: the quiet hours end tomorrow morning.
  const endDate = minute >= end ? addDays(date, 1) : date;
  return stockholmInstant(endDate, end);
}

/**
 * When a reminder-fed notification should reach a person, by their lead days for its kind: one slot per lead day
 * still ahead (held until `dueDate − lead`, at `sendMinute` Stockholm time) and, when leads were missed (the
 * reminder came later than the person's earliest lead), one slot at once for the most urgent missed lead — the
 * same rule the reminder engine uses for its own leads. Without lead days or a due date: one slot, now.
 * Each slot's `key` joins the occasion key, so the reminder's next lead (7 days after the 30) finds its slots
 * already stored and adds nothing.
 */
export function leadSlots(
  leadDays: number[] | null,
  dueDate: string | null,
  today: string,
  now: Date,
  sendMinute: number,
): { key: string; at: Date }[] {
  if (!leadDays?.length || !dueDate) return [{ key: 'now', at: now }];
  const daysLeft = daysBetween(today, dueDate);
  const slots: { key: string; at: Date }[] = [];
  const missed = leadDays.filter((lead) => lead > daysLeft);
  if (missed.length) slots.push({ key: `d${Math.min(...missed)}`, at: now });
  for (const lead of [...leadDays].sort((a, b) => b - a)) {
    if (lead > daysLeft) continue;
    const day = addDays(dueDate, -lead);
    const at = day === today ? now : stockholmInstant(day, sendMinute);
    slots.push({ key: `d${lead}`, at: at < now ? now : at });
  }
  return slots;
}
