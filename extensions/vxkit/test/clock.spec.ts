import {
  clockText,
  isLate,
  localStamp,
  localTime,
  minutesOf,
  nextOverlap,
  parseStamp,
  schoolState
} from '../src/clock';

const lyon = {
  timezone: 'Europe/Paris',
  school_days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  hours: '08:00-16:30',
  holidays: ['2026-12-24']
};
const valparaiso = {
  timezone: 'America/Santiago',
  school_days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  hours: '08:00-15:30'
};

describe('localTime', () => {
  it('follows daylight saving time in Europe', () => {
    // 29 March 2026: Paris moves from UTC+1 to UTC+2 at 01:00 UTC
    expect(
      localTime(new Date('2026-03-29T00:30:00Z'), 'Europe/Paris').hour
    ).toBe(1);
    expect(
      localTime(new Date('2026-03-29T01:30:00Z'), 'Europe/Paris').hour
    ).toBe(3);
  });

  it('gives the date and weekday of the zone, not of the browser', () => {
    const moment = new Date('2026-12-01T02:00:00Z'); // Tuesday in UTC
    expect(localTime(moment, 'America/Santiago')).toEqual({
      date: '2026-11-30',
      weekday: 'mon',
      hour: 23,
      minute: 0
    });
  });
});

describe('schoolState', () => {
  it('is in class during school hours on a school day', () => {
    // Tuesday 1 December 2026, 10:00 in Lyon (UTC+1)
    expect(schoolState(lyon, new Date('2026-12-01T09:00:00Z'))).toBe(
      'in-class'
    );
  });

  it('is after school once the hours end, and before they start', () => {
    expect(schoolState(lyon, new Date('2026-12-01T15:30:00Z'))).toBe(
      'after-school'
    );
    expect(schoolState(lyon, new Date('2026-12-01T06:59:00Z'))).toBe(
      'after-school'
    );
  });

  it('counts the end of the hours as after school', () => {
    expect(schoolState(lyon, new Date('2026-12-01T15:29:00Z'))).toBe(
      'in-class'
    );
  });

  it('is the weekend on a day that is not a school day, in local time', () => {
    // Saturday 01:00 in Lyon is still Friday 21:00 in Valparaíso
    const moment = new Date('2026-12-05T00:00:00Z');
    expect(schoolState(lyon, moment)).toBe('weekend');
    expect(schoolState(valparaiso, moment)).toBe('after-school');
  });

  it('is a holiday on the dates the class lists', () => {
    expect(schoolState(lyon, new Date('2026-12-24T09:00:00Z'))).toBe('holiday');
  });

  it('uses the summer offset of the southern hemisphere', () => {
    // December: Santiago is UTC-3, so 11:00 UTC is 08:00 there, the first minute of class
    expect(schoolState(valparaiso, new Date('2026-12-01T11:00:00Z'))).toBe(
      'in-class'
    );
    expect(schoolState(valparaiso, new Date('2026-12-01T10:59:00Z'))).toBe(
      'after-school'
    );
  });
});

describe('helpers', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(minutesOf('08:30')).toBe(510);
    expect(minutesOf('8h30')).toBeNaN();
  });

  it('shows the clock with two digits', () => {
    expect(clockText(new Date('2026-12-01T08:05:00Z'), 'Europe/Paris')).toBe(
      '09:05'
    );
  });
});

describe('hand-in times', () => {
  it("reads nbgrader's timestamps as UTC", () => {
    const moment = parseStamp('2026-12-01 20:11:05.123456 UTC');
    expect(moment?.toISOString()).toBe('2026-12-01T20:11:05.123Z');
    expect(parseStamp('yesterday')).toBeNull();
    expect(parseStamp(null)).toBeNull();
  });

  it("shows them in the class's own time, across the date line of midnight", () => {
    const moment = parseStamp('2026-12-01 23:30:00 UTC') as Date;
    expect(localStamp(moment, 'Europe/Paris')).toBe('2026-12-02 00:30');
    expect(localStamp(moment, 'America/Santiago')).toBe('2026-12-01 20:30');
  });

  it('is late only after the deadline', () => {
    const deadline = '2026-12-01T17:00:00+00:00';
    expect(isLate(parseStamp('2026-12-01 16:59:59 UTC'), deadline)).toBe(false);
    expect(isLate(parseStamp('2026-12-01 17:00:01 UTC'), deadline)).toBe(true);
    expect(isLate(parseStamp('2026-12-01 17:00:01 UTC'), null)).toBe(false);
  });
});

describe('nextOverlap', () => {
  const nairobi = {
    timezone: 'Africa/Nairobi',
    school_days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    hours: '07:30-15:30'
  };
  const classes = [lyon, nairobi, valparaiso];

  it('finds the next time all three classes are in class', () => {
    // Tuesday 1 December 2026, 20:00 UTC: everyone has gone home; Wednesday
    // Lyon 07:00-15:30 UTC, Nairobi 04:30-12:30 UTC, Valparaíso 11:00-18:30 UTC
    const overlap = nextOverlap(classes, new Date('2026-12-01T20:00:00Z'));
    expect(overlap?.start.toISOString()).toBe('2026-12-02T11:00:00.000Z');
    expect(overlap?.end.toISOString()).toBe('2026-12-02T12:30:00.000Z');
  });

  it('gives the span going on now, from now', () => {
    const overlap = nextOverlap(classes, new Date('2026-12-02T11:47:30Z'));
    expect(overlap?.start.toISOString()).toBe('2026-12-02T11:47:00.000Z');
    expect(overlap?.end.toISOString()).toBe('2026-12-02T12:30:00.000Z');
  });

  it('skips the weekend and holidays', () => {
    // Friday 4 December after the overlap: the next is Monday 7 December
    const friday = nextOverlap(classes, new Date('2026-12-04T13:00:00Z'));
    expect(friday?.start.toISOString()).toBe('2026-12-07T11:00:00.000Z');
    // 24 December is a holiday in Lyon: the next overlap is on the 25th
    const eve = nextOverlap(classes, new Date('2026-12-23T13:00:00Z'));
    expect(eve?.start.toISOString()).toBe('2026-12-25T11:00:00.000Z');
  });

  it('moves by an hour when Europe changes to summer time', () => {
    // Lyon and Santiago with an early afternoon end in Lyon: 08:00-13:00 in Lyon
    const short = { ...lyon, hours: '08:00-13:00', holidays: [] };
    // Friday 27 March 2026 (Paris UTC+1): Lyon ends 12:00 UTC, Santiago (UTC-3) starts 11:00
    const before = nextOverlap(
      [short, valparaiso],
      new Date('2026-03-27T00:00:00Z')
    );
    expect(before?.end.toISOString()).toBe('2026-03-27T12:00:00.000Z');
    // Monday 30 March (Paris UTC+2): Lyon ends 11:00 UTC: no overlap left with Santiago...
    const after = nextOverlap(
      [short, valparaiso],
      new Date('2026-03-30T00:00:00Z'),
      3
    );
    expect(after).toBeNull();
  });

  it('is null without classes', () => {
    expect(nextOverlap([], new Date())).toBeNull();
  });
});
