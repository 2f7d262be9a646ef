/** Calendar days as `YYYY-MM-DD` strings in UTC: what upstream APIs take and what backfill remembers. */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar day written `YYYY-MM-DD` (not `2026-02-30`). */
export function isDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  // Month 13 is no date at all; 31 February rolls over to March: neither reads back the same.
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * MS_PER_DAY));
}

/** Every day from `from` to `to`, both included. */
export function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The ISO week of a day, `2026-W01`, and the Sunday that ends it. */
export function isoWeek(day: string): { week: string; lastDay: string } {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = addDays(day, 3 - weekday);
  // A week belongs to the year of its Thursday, and is numbered by that Thursday's day of the year.
  const year = thursday.slice(0, 4);
  const dayOfYear =
    (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / MS_PER_DAY;
  const week = Math.floor(dayOfYear / 7) + 1;
  return { week: `${year}-W${String(week).padStart(2, '0')}`, lastDay: addDays(day, 6 - weekday) };
}

/** The month of a day, `2026-01`, and its last day. */
export function monthOf(day: string): { month: string; lastDay: string } {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return { month: day.slice(0, 7), lastDay: dayOf(new Date(Date.UTC(year, month, 0))) };
}
