/**
 * Milliseconds to wait according to a Retry-After header: delay-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable; a date in the past means 0.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
