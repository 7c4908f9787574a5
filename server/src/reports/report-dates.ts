import { parseLocalDateTime } from '../local-time.js';
import { HttpProblem } from '../problems.js';

/** A report's `from`/`to` (`YYYY-MM-DD`, Chicago local dates, `to` exclusive), checked to be real and in order. */
export function parseDateRange(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  const range = {
    ...(from ? { from: parseLocalDateTime('from', from).slice(0, 10) } : {}),
    ...(to ? { to: parseLocalDateTime('to', to).slice(0, 10) } : {}),
  };
  if (range.from && range.to && range.from >= range.to) throw HttpProblem.badParameter('from', `must be before to (${from} is not before ${to})`);
  return range;
}

/** First day of the month of `day` (`YYYY-MM-DD`), or of the next month when `day` is not a first. */
export function monthStartOnOrAfter(day: string): string {
  if (day.endsWith('-01')) return day;
  const [year, month] = day.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

export function monthStartOnOrBefore(day: string): string {
  return `${day.slice(0, 7)}-01`;
}
