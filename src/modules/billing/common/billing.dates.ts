/**
 * Calendar arithmetic in Europe/Stockholm for the billing rules.
 *
 * The boundary convention (also in docs/billing.md): `periodEnd`, `graceUntil` and `trialEnd` are instants (UTC in
 * storage and API), and every one this module computes is a **Stockholm midnight** — the first instant of a
 * Stockholm calendar day. A boundary is reached when `now >= boundary`, so "unpaid at periodEnd" means: from
 * 00:00 Stockholm time on the day named by periodEnd. Because boundaries sit on midnights, the daily job (03:15
 * Stockholm) sees the change on exactly that calendar day, and reads in between agree with it.
 *
 * A calendar date here is a `YYYY-MM-DD` string (the day in Stockholm), never a Date at UTC midnight.
 */
import {
  addDays,
  daysBetween,
  BILLING_YEARS,
  isCalendarDate as isDate,
  parseCalendarDate,
  stockholmDate,
  TIME_ZONE,
} from '../../../common/dates';

export { addDays, daysBetween, stockholmDate };

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(instant: Date): WallTime {
  const parts: Record<string, number> = {};
  for (const part of partsFormat.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of Stockholm from UTC at `instant`, in ms (+1 h in winter, +2 h in summer). */
function offsetMs(instant: Date): number {
  const w = wallTime(instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

function parse(date: string): { year: number; month: number; day: number } {
  const parsed = parseCalendarDate(date);
  if (!parsed) throw new RangeError(`Not a calendar date: ${date}`);
  return parsed;
}

/**
 * The dates billing accepts from outside (admin input, Stripe events): `BILLING_YEARS`, 1970–2199 (the economy's
 * dates end in 2199 too). Every boundary computed from one (a period, grace, a reminder window) then stays a
 * four-digit year, which the arithmetic here needs: a periodEnd in the year 9999 would make every later read of the
 * account throw.
 */
const FIRST_INSTANT = Date.UTC(BILLING_YEARS.from, 0, 1);
const END_INSTANT = Date.UTC(BILLING_YEARS.to + 1, 0, 1);

/** True for a real `YYYY-MM-DD` date (2026-02-30 is not) in the years billing supports. */
export function isCalendarDate(value: string): boolean {
  return isDate(value, BILLING_YEARS);
}

/** True for a valid instant in the years billing supports (see isCalendarDate). */
export function isSupportedInstant(instant: Date): boolean {
  const t = instant.getTime();
  return t >= FIRST_INSTANT && t < END_INSTANT;
}

/** The first instant (00:00 Stockholm time) of a calendar day. Midnight is never inside a DST gap in Sweden. */
export function startOfStockholmDay(date: string): Date {
  const { year, month, day } = parse(date);
  const utcMidnight = Date.UTC(year, month - 1, day);
  let instant = new Date(utcMidnight - offsetMs(new Date(utcMidnight)));
  // The offset at the guess can differ from the offset at the result on a DST day: correct once.
  const corrected = new Date(utcMidnight - offsetMs(instant));
  if (corrected.getTime() !== instant.getTime()) instant = corrected;
  return instant;
}

/** The Stockholm midnight `days` calendar days after the day `instant` falls on. */
export function midnightAfterDays(instant: Date, days: number): Date {
  return startOfStockholmDay(addDays(stockholmDate(instant), days));
}

/** Calendar days left until a boundary (the day it starts minus today); 0 on its day or after. */
export function daysUntil(boundary: Date, now: Date): number {
  return Math.max(0, daysBetween(stockholmDate(now), stockholmDate(boundary)));
}

/**
 * The last full day before a boundary, for texts ("t.o.m. 2026-04-08"). For a boundary that is not a midnight
 * (written by something else than this module) it is the day the boundary falls on.
 */
export function lastDayBefore(boundary: Date): string {
  const day = stockholmDate(boundary);
  return startOfStockholmDay(day).getTime() === boundary.getTime() ? addDays(day, -1) : day;
}
