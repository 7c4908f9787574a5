/** `4m`, `30s`, `1h`, `90` (seconds), or `off`/`0` (disabled → 0) as milliseconds. */
export function parseInterval(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off' || trimmed === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(trimmed);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match?.[2] ?? 's'];
  const value = match ? Number(match[1]) * unit! : NaN;
  if (!Number.isFinite(value) || value < 1000) throw new Error(`invalid interval "${text}": expected e.g. 4m, 30s, 1h or off`);
  return value;
}
