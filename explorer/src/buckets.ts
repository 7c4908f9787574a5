/*
 * Time buckets of the chart, on calendar dates (`YYYY-MM-DD`, as the aggregate's `period` is):
 * which bucket fits a range, and every bucket start in it, so empty buckets show as gaps.
 */

export type TimeBucket = 'day' | 'week' | 'month' | 'quarter' | 'year';

const DAY_MS = 86_400_000;
/** The finest bucket whose bar count stays readable, by the range's length in days. */
const FITS: Array<[TimeBucket, number]> = [
  ['day', 92],
  ['week', 731],
  ['month', 12 * 366],
  ['year', Infinity],
];

const toDate = (day: string) => new Date(`${day}T00:00:00Z`);
const toDay = (date: Date) => date.toISOString().slice(0, 10);

export function fittingBucket(from: string, to: string, offered: readonly string[]): TimeBucket | undefined {
  const days = (toDate(to).getTime() - toDate(from).getTime()) / DAY_MS;
  const fits = FITS.filter(([bucket]) => offered.includes(bucket));
  return (fits.find(([, upTo]) => days <= upTo) ?? fits[fits.length - 1])?.[0];
}

/** The first day of the bucket holding `day` (weeks start on Monday). */
export function bucketStart(day: string, bucket: TimeBucket): string {
  const date = toDate(day);
  if (bucket === 'week') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  if (bucket === 'month') date.setUTCDate(1);
  if (bucket === 'quarter') date.setUTCMonth(date.getUTCMonth() - (date.getUTCMonth() % 3), 1);
  if (bucket === 'year') date.setUTCMonth(0, 1);
  return toDay(date);
}

/** The first day of the bucket after the one starting at `start`. */
export function nextBucket(start: string, bucket: TimeBucket): string {
  const date = toDate(start);
  if (bucket === 'day') date.setUTCDate(date.getUTCDate() + 1);
  if (bucket === 'week') date.setUTCDate(date.getUTCDate() + 7);
  if (bucket === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  if (bucket === 'quarter') date.setUTCMonth(date.getUTCMonth() + 3);
  if (bucket === 'year') date.setUTCFullYear(date.getUTCFullYear() + 1);
  return toDay(date);
}

/** Every bucket start from the one holding `from` up to `to` (exclusive). */
export function bucketStarts(from: string, to: string, bucket: TimeBucket, max = 5000): string[] {
  const starts: string[] = [];
  for (let start = bucketStart(from, bucket); start < to && starts.length < max; start = nextBucket(start, bucket)) starts.push(start);
  return starts;
}

/** The day after `day`. */
export function dayAfter(day: string): string {
  return nextBucket(day, 'day');
}
