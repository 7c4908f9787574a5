import { HttpProblem } from './problems.js';

/**
 * Reads a `from`/`to` value (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.ffffff]]`, Chicago local time)
 * into the form Postgres compares with `timestamp` columns. The spec's pattern has already
 * checked the shape; this rejects impossible dates such as 2014-02-30.
 */
export function parseLocalDateTime(name: string, text: string): string {
  const [datePart, timePart = '00:00:00'] = text.split('T') as [string, string?];
  const [year, month, day] = datePart.split('-').map(Number) as [number, number, number];
  const [hour = 0, minute = 0, second = 0] = timePart.split(':').map(Number);
  // Year 0 does not exist in the calendar PostgreSQL uses (1 BC precedes AD 1).
  if (year === 0) throw HttpProblem.badParameter(name, `"${text}": there is no year 0000; the earliest year is 0001`);
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour < 24 && minute < 60 && second < 60;
  if (!valid) throw HttpProblem.badParameter(name, `"${text}" is not a real date or time; expected a date like 2024-01-31 or 2024-01-31T13:45:00`);
  return `${datePart}T${timePart.length === 5 ? `${timePart}:00` : timePart}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** In the proleptic Gregorian calendar, as PostgreSQL counts (and JavaScript's Date). */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Parses both bounds and rejects an empty range. */
export function parseTimeRange(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  if (from) range.from = parseLocalDateTime('from', from);
  if (to) range.to = parseLocalDateTime('to', to);
  if (range.from && range.to && range.from >= range.to) {
    throw HttpProblem.badParameter('from', `must be before to (${from} is not before ${to})`);
  }
  return range;
}

/**
 * A day (`YYYY-MM-DD`) as text that sorts in calendar order: the first month after December 9999
 * begins 10000-01-01, which plain text comparison puts before 9999-12-01.
 */
export function dayOrder(day: string): string {
  return day.padStart(11, '0');
}

/** The first day of the month of `day` (`YYYY-MM-DD`). */
export function monthStartOnOrBefore(day: string): string {
  return `${day.slice(0, -3)}-01`;
}

/** The first day of the month of `day` when it is a first, else of the next month. */
export function monthStartOnOrAfter(day: string): string {
  if (day.endsWith('-01')) return day;
  const [year, month] = day.split('-').map(Number) as [number, number];
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return month === 12 ? `${pad(year + 1, 4)}-01-01` : `${pad(year, 4)}-${pad(month + 1, 2)}-01`;
}
