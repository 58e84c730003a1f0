const UNITS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

const RELATIVE = /^(?:last|past)?\s*(\d{1,6})\s*([a-z]+)(?:\s+ago)?$/i;

/**
 * A time bound as a model tends to write it: an ISO 8601 date passes through unchanged (core validates it);
 * "now", or a span before now such as "24h", "last 7 days", "90 minutes ago", becomes an ISO date-time.
 * Anything else also passes through, so core's validation names the problem.
 */
export function resolveTime(value: string | undefined, now: Date): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^now$/i.test(text)) return now.toISOString();
  const match = RELATIVE.exec(text);
  const unit = match?.[2] ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match?.[1] || unit === undefined) return text;
  return new Date(now.getTime() - Number(match[1]) * unit).toISOString();
}
