import { distance } from 'fastest-levenshtein';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timezone, f);
  }
  return f;
}

interface LocalParts {
  date: string;
  time: string;
  weekday: number;
  offsetMs: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall-clock date, time and weekday in a timezone at an instant. */
export function localParts(timezone: string, at: Date): LocalParts {
  const parts = Object.fromEntries(
    formatterFor(timezone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const [y, mo, d, h, mi, s] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((k) =>
    Number(parts[k]),
  );
  const asUtc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: WEEKDAYS.indexOf(String(parts.weekday)),
    offsetMs: asUtc - Math.floor(at.getTime() / 1000) * 1000,
  };
}

/** The calendar date in a timezone at an instant, as YYYY-MM-DD. */
export function localDateIn(timezone: string, at: Date): string {
  return localParts(timezone, at).date;
}

/**
 * The instant a wall-clock time happens on a date in a timezone. Across a DST change it settles on the
 * offset in force at that moment; a time skipped by spring-forward lands next to the gap.
 */
export function zonedTimeToUtc(localDate: string, time: string, timezone: string): Date {
  const [y, mo, d] = localDate.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const naive = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  let guess = naive - localParts(timezone, new Date(naive)).offsetMs;
  guess = naive - localParts(timezone, new Date(guess)).offsetMs;
  return new Date(guess);
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(localDate: string, days: number): string {
  const date = new Date(`${localDate}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(localDate: string): number {
  return new Date(`${localDate}T12:00:00Z`).getUTCDay();
}

/** The next instant at `time` on one of `days` (in `timezone`) strictly after `after`; null if no days. */
export function nextOccurrence(after: Date, time: string, days: number[], timezone: string): Date | null {
  if (days.length === 0) return null;
  const today = localDateIn(timezone, after);
  for (let i = 0; i <= 7; i++) {
    const date = addDays(today, i);
    if (!days.includes(weekdayOf(date))) continue;
    const at = zonedTimeToUtc(date, time, timezone);
    if (at > after) return at;
  }
  return null;
}

let zones: string[] | undefined;

export function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function knownZones(): string[] {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zones;
}

/** The IANA name as the zone database spells it (`europe/berlin` → `Europe/Berlin`), else as typed. */
export function canonicalTimezone(name: string): string {
  const lower = name.toLowerCase();
  return knownZones().find((z) => z.toLowerCase() === lower) ?? name;
}

/** Known IANA names closest to what someone typed, for "did you mean". */
export function suggestTimezones(input: string, count = 3): string[] {
  const zones = knownZones();
  const wanted = input.toLowerCase().replace(/\s+/g, '_');
  // By the city: a zone is named for one, and a region alone (Mars/…) says nothing of where someone is.
  const wantedCity = wanted.split('/').pop() ?? wanted;
  const near = Math.max(1, Math.floor(wantedCity.length / 3));
  const scored = zones.flatMap((zone) => {
    const z = zone.toLowerCase();
    const city = z.split('/').pop() ?? z;
    const apart = distance(wantedCity, city);
    if (apart > near) return [];
    return [
      {
        zone,
        score:
          apart * 2 +
          (distance(wanted, z) === 0 ? -10 : 0) +
          (wanted.includes('/') && !z.startsWith(wanted.split('/')[0]!) ? 1 : 0),
      },
    ];
  });
  return scored
    .sort((a, b) => a.score - b.score || a.zone.localeCompare(b.zone))
    .slice(0, count)
    .map((s) => s.zone);
}

/** `2026-11-26` → `Thu 26 Nov`. */
export function formatDate(localDate: string): string {
  const date = new Date(`${localDate}T12:00:00Z`);
  return date.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}
