import { dayOrder, monthStartOnOrAfter, monthStartOnOrBefore, parseLocalDateTime } from '../local-time.js';
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

export type Grain = 'day' | 'month' | 'year';

/** The first day (`YYYY-MM-DD`) of the period of `grain` after the one starting on `start`. */
export function nextPeriod(grain: Grain, start: string): string {
  const date = new Date(`${start}T00:00:00Z`);
  if (grain === 'year') date.setUTCFullYear(date.getUTCFullYear() + 1);
  else if (grain === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Cuts [from, to) (`YYYY-MM-DD`) into the fewest pieces of whole years, whole months and single
 * days, in order, so a report reads each piece from the coarsest rollup that has it.
 */
export function coarsestPieces(from: string, to: string): { grain: Grain; start: string; end: string }[] {
  const monthStart = monthStartOnOrAfter(from);
  const monthEnd = monthStartOnOrBefore(to);
  if (dayOrder(monthStart) >= dayOrder(monthEnd)) return [{ grain: 'day', start: from, end: to }];
  const yearStart = monthStart.endsWith('-01-01') ? monthStart : `${String(Number(monthStart.slice(0, 4)) + 1).padStart(4, '0')}-01-01`;
  const yearEnd = `${monthEnd.slice(0, 4)}-01-01`;
  const pieces: { grain: Grain; start: string; end: string }[] = [];
  const add = (grain: Grain, start: string, end: string) => {
    if (dayOrder(start) < dayOrder(end)) pieces.push({ grain, start, end });
  };
  add('day', from, monthStart);
  if (dayOrder(yearStart) < dayOrder(yearEnd)) {
    add('month', monthStart, yearStart);
    add('year', yearStart, yearEnd);
    add('month', yearEnd, monthEnd);
  } else {
    add('month', monthStart, monthEnd);
  }
  add('day', monthEnd, to);
  return pieces;
}
