/**
 * Clocks and school hours of the partner classes: pure functions, no DOM, no JupyterLab.
 *
 * The data comes from `GET /vxkit/api/exchange` (each class's IANA time zone, school days,
 * hours as "08:00-15:30" and holidays as ISO dates); the browser only turns "now" into each
 * class's local time, so a clock keeps running without asking the server again.
 */

/** What the panel needs to know of a class to show its clock. */
export interface IClassHours {
  timezone: string;
  /** school days as in exchange.toml: "mon" ... "sun" */
  school_days: string[];
  /** school hours as in exchange.toml: "08:00-15:30" */
  hours: string;
  /** holidays as ISO dates ("2026-12-24"), in the class's own calendar */
  holidays?: string[];
}

/** A moment as seen on a wall clock in one time zone. */
export interface ILocalTime {
  /** ISO date in that zone, e.g. "2026-03-29" */
  date: string;
  /** "mon" ... "sun" */
  weekday: string;
  hour: number;
  minute: number;
}

/** Where a class is at a moment: the panel shows one of these as a sentence. */
export type SchoolState = 'in-class' | 'after-school' | 'weekend' | 'holiday';

const WEEKDAYS: Record<string, string> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun'
};

const FORMATS = new Map<string, Intl.DateTimeFormat>();

function formatIn(timezone: string): Intl.DateTimeFormat {
  let format = FORMATS.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23'
    });
    FORMATS.set(timezone, format);
  }
  return format;
}

/** The wall-clock time of `moment` in the IANA time zone `timezone`. */
export function localTime(moment: Date, timezone: string): ILocalTime {
  const parts = formatIn(timezone).formatToParts(moment);
  const get = (type: string): string =>
    parts.find(p => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: WEEKDAYS[get('weekday')] ?? get('weekday').toLowerCase(),
    hour: Number(get('hour')),
    minute: Number(get('minute'))
  };
}

/** Minutes after midnight of "HH:MM" (NaN if it is not such a time). */
export function minutesOf(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
}

/** Whether the class is in class, after school, on a weekend or on holiday at `moment`. */
export function schoolState(cls: IClassHours, moment: Date): SchoolState {
  const local = localTime(moment, cls.timezone);
  if ((cls.holidays ?? []).includes(local.date)) {
    return 'holiday';
  }
  if (!cls.school_days.includes(local.weekday)) {
    return 'weekend';
  }
  const [start, end] = cls.hours.split('-').map(minutesOf);
  const now = local.hour * 60 + local.minute;
  return now >= start && now < end ? 'in-class' : 'after-school';
}

/** "14:05": the local wall-clock time, for the panel's clocks. */
export function clockText(moment: Date, timezone: string): string {
  const local = localTime(moment, timezone);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(local.hour)}:${pad(local.minute)}`;
}

/** An nbgrader timestamp ("2026-12-01 20:11:05.123456 UTC") as a Date (null if unreadable). */
export function parseStamp(stamp: string | null | undefined): Date | null {
  if (!stamp) {
    return null;
  }
  const match =
    /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?\s*(UTC|Z)?$/.exec(
      stamp.trim()
    );
  if (!match) {
    return null;
  }
  const millis = match[3] ? match[3].slice(0, 4) : '';
  const moment = new Date(`${match[1]}T${match[2]}${millis}Z`);
  return isNaN(moment.getTime()) ? null : moment;
}

/** "2026-12-01 21:11": a moment as wall-clock date and time in `timezone`. */
export function localStamp(moment: Date, timezone: string): string {
  const local = localTime(moment, timezone);
  return `${local.date} ${clockText(moment, timezone)}`;
}

/** Whether a hand-in at `submitted` came after the deadline (`deadlineUtc`, ISO). */
export function isLate(
  submitted: Date | null,
  deadlineUtc: string | null | undefined
): boolean {
  if (!submitted || !deadlineUtc) {
    return false;
  }
  const deadline = new Date(deadlineUtc);
  return !isNaN(deadline.getTime()) && submitted.getTime() > deadline.getTime();
}

/** A span of time when every class is in class at once. */
export interface IOverlap {
  start: Date;
  end: Date;
}

const MINUTE = 60_000;

/**
 * The first span, from `moment` on (looking `days` ahead), when every class is in class at
 * the same time: the span going on now if there is one. Null if there is none (or no class).
 * Minute by minute, so daylight saving changes and holidays count as they fall.
 */
export function nextOverlap(
  classes: IClassHours[],
  moment: Date,
  days = 14
): IOverlap | null {
  if (!classes.length) {
    return null;
  }
  const all = (t: number): boolean =>
    classes.every(cls => schoolState(cls, new Date(t)) === 'in-class');
  const first = Math.floor(moment.getTime() / MINUTE) * MINUTE;
  const last = first + days * 24 * 60 * MINUTE;
  // coarse steps of 5 minutes find a span (school hours are whole minutes, rarely shorter),
  // then minutes find its exact edges
  const step = 5 * MINUTE;
  let t = first;
  if (!all(t)) {
    while (t < last && !all(t)) {
      t += step;
    }
    if (t >= last) {
      return null;
    }
    while (t - MINUTE >= first && all(t - MINUTE)) {
      t -= MINUTE;
    }
  }
  let end = t;
  while (end < last && all(end)) {
    end += MINUTE;
  }
  return { start: new Date(t), end: new Date(end) };
}
