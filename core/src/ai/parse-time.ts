import * as chrono from 'chrono-node';
import type { ParsedComponents } from 'chrono-node';

/**
 * The time range a question asks about, in UTC. Dates come from `chrono-node`; what chrono reads as a single
 * instant but people mean as a span is added here: rolling windows ("last 3 days", "past week"), calendar
 * periods ("this week", "last month", "in March"), open ranges ("since Monday") and "between X and Y". Audit
 * questions are about the past, so a date without a year or a bare weekday that chrono puts in the future is
 * moved back one year or one week. Weeks start on Monday.
 */
export interface TimeRange {
  start: Date;
  end: Date;
  /** The words of the question the range was read from, or a description of the default. */
  label: string;
  /** `question` when the question named the range, `default` when it did not (the last 7 days). */
  from: 'question' | 'default';
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const DEFAULT_RANGE_DAYS = 7;

type Unit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
interface Span {
  start: Date;
  end: Date;
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  thirty: 30,
  'a couple of': 2,
  'couple of': 2,
  'a few': 3,
  few: 3,
};
const NUMBER = `\\d{1,4}|${Object.keys(NUMBER_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')}`;
const UNIT = '(minute|min|hour|hr|day|week|month|year)s?';

function unitOf(word: string): Unit {
  if (word.startsWith('min')) return 'minute';
  if (word.startsWith('h')) return 'hour';
  return word.replace(/s$/, '') as Unit;
}

function amount(word: string | undefined): number {
  if (word === undefined) return 1;
  return NUMBER_WORDS[word] ?? Number(word);
}

function utc(year: number, month: number, day = 1): Date {
  return new Date(Date.UTC(year, month, day));
}

function startOfDay(date: Date): Date {
  return utc(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function startOfWeek(date: Date): Date {
  const day = startOfDay(date);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY);
}

function periodAt(date: Date, unit: 'day' | 'week' | 'month' | 'year'): Span {
  switch (unit) {
    case 'day': {
      const start = startOfDay(date);
      return { start, end: new Date(start.getTime() + DAY) };
    }
    case 'week': {
      const start = startOfWeek(date);
      return { start, end: new Date(start.getTime() + 7 * DAY) };
    }
    case 'month':
      return {
        start: utc(date.getUTCFullYear(), date.getUTCMonth()),
        end: utc(date.getUTCFullYear(), date.getUTCMonth() + 1),
      };
    case 'year':
      return { start: utc(date.getUTCFullYear(), 0), end: utc(date.getUTCFullYear() + 1, 0) };
  }
}

function minus(now: Date, count: number, unit: Unit): Date {
  switch (unit) {
    case 'minute':
      return new Date(now.getTime() - count * MINUTE);
    case 'hour':
      return new Date(now.getTime() - count * HOUR);
    case 'day':
      return new Date(now.getTime() - count * DAY);
    case 'week':
      return new Date(now.getTime() - count * 7 * DAY);
    case 'month': {
      const date = new Date(now);
      date.setUTCMonth(date.getUTCMonth() - count);
      return date;
    }
    case 'year': {
      const date = new Date(now);
      date.setUTCFullYear(date.getUTCFullYear() - count);
      return date;
    }
  }
}

/** A phrase naming a span by itself: rolling windows and calendar periods, which chrono reads as instants. */
function namedSpan(text: string, now: Date): { span: Span; matched: string } | undefined {
  const rolling = new RegExp(
    `\\b(?:in |over |during |within |for )?(?:the )?(last|past|previous|recent)\\s+(?:(${NUMBER})\\s+)?${UNIT}\\b`,
  ).exec(text);
  if (rolling) {
    const [matched, which, count, unitWord = 'day'] = rolling;
    const unit = unitOf(unitWord);
    // "last week" / "last month" / "last year" is the previous calendar period; "past week", "last 2 weeks",
    // "last day" and "last hour" are rolling windows ending now.
    if (
      count === undefined &&
      which !== 'past' &&
      which !== 'recent' &&
      (unit === 'week' || unit === 'month' || unit === 'year')
    ) {
      const current = periodAt(now, unit);
      return { span: periodAt(new Date(current.start.getTime() - 1), unit), matched };
    }
    return { span: { start: minus(now, amount(count), unit), end: now }, matched };
  }
  const current = /\b(this|current)\s+(week|month|year)\b/.exec(text);
  if (current) {
    const unit = current[2] as 'week' | 'month' | 'year';
    return { span: { start: periodAt(now, unit).start, end: now }, matched: current[0] };
  }
  const quarter = /\b(this|current|last|previous) quarter\b/.exec(text);
  if (quarter) {
    const first = utc(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3);
    if (quarter[1] === 'this' || quarter[1] === 'current')
      return { span: { start: first, end: now }, matched: quarter[0] };
    const previous = utc(first.getUTCFullYear(), first.getUTCMonth() - 3);
    return { span: { start: previous, end: first }, matched: quarter[0] };
  }
  const today = /\b(today|tonight|this morning)\b/.exec(text);
  if (today) return { span: { start: startOfDay(now), end: now }, matched: today[0] };
  const yesterday = /\byesterday\b(?!\s+(?:at\s+)?\d)/.exec(text);
  if (yesterday) return { span: periodAt(new Date(now.getTime() - DAY), 'day'), matched: yesterday[0] };
  return undefined;
}

function inPast(components: ParsedComponents, date: Date, now: Date): Date {
  if (date <= now || components.isCertain('year')) return date;
  const moved = new Date(date);
  const weekdayOnly =
    components.isCertain('weekday') && !components.isCertain('month') && !components.isCertain('day');
  if (weekdayOnly) moved.setUTCDate(moved.getUTCDate() - 7);
  else moved.setUTCFullYear(moved.getUTCFullYear() - 1);
  return moved;
}

/** The span one chrono date covers, at the granularity it was written in (an hour, a day, a month, a year). */
function componentsSpan(components: ParsedComponents, now: Date): Span {
  const start = inPast(components, components.date(), now);
  if (components.isCertain('hour')) return { start, end: new Date(start.getTime() + HOUR) };
  if (components.isCertain('day') || components.isCertain('weekday')) return periodAt(start, 'day');
  if (components.isCertain('month')) return periodAt(start, 'month');
  if (components.isCertain('year')) return periodAt(start, 'year');
  return periodAt(start, 'day');
}

interface ChronoSpan {
  span: Span;
  matched: string;
  index: number;
  /** Chrono read a range ("from X to Y", "X - Y"), not a single date. */
  ranged: boolean;
  /** The text named a time of day ("10am"). */
  timed: boolean;
}

function chronoSpan(text: string, now: Date): ChronoSpan | undefined {
  const [result] = chrono.parse(text, { instant: now, timezone: 'UTC' });
  if (!result) return undefined;
  const start = componentsSpan(result.start, now);
  const span = result.end ? { start: start.start, end: componentsSpan(result.end, now).end } : start;
  return {
    span,
    matched: result.text,
    index: result.index,
    ranged: result.end !== null,
    timed: result.start.isCertain('hour'),
  };
}

function phraseSpan(text: string, now: Date): { span: Span; matched: string } | undefined {
  return namedSpan(text, now) ?? chronoSpan(text, now);
}

function clamp(span: Span, now: Date): Span {
  const end = span.end > now ? now : span.end;
  return { start: span.start > end ? end : span.start, end };
}

/**
 * Read the time range of a question against `now`. Without any time expression, the range is the
 * {@link DEFAULT_RANGE_DAYS} days before `now`. Ranges never end after `now`.
 */
export function parseTimeRange(question: string, now: Date): TimeRange {
  const text = question.toLowerCase().replace(/\s+/g, ' ');

  const between = /\bbetween (.+?) and (.+?)(?=[?!;,]|\.(?:\s|$)|$)/.exec(text);
  if (between) {
    const from = phraseSpan(between[1] ?? '', now);
    const to = phraseSpan(between[2] ?? '', now);
    if (from && to) {
      const span = clamp({ start: from.span.start, end: to.span.end }, now);
      return { ...span, label: between[0], from: 'question' };
    }
  }

  const since = /\b(since|after) (.+)$/.exec(text);
  if (since) {
    const rest = since[2] ?? '';
    const found = chronoSpan(rest, now);
    const dated = found && found.index === 0 && !found.ranged ? found : undefined;
    // A time of day ("since 10am today") is more precise than the period words around it.
    const phrase = dated?.timed ? dated : (namedSpan(rest, now) ?? dated);
    if (phrase) {
      const span = clamp({ start: phrase.span.start, end: now }, now);
      return { ...span, label: `${since[1]} ${phrase.matched.trim()}`, from: 'question' };
    }
  }

  const phrase = phraseSpan(text, now);
  if (phrase) return { ...clamp(phrase.span, now), label: phrase.matched.trim(), from: 'question' };

  return {
    start: new Date(now.getTime() - DEFAULT_RANGE_DAYS * DAY),
    end: now,
    label: `last ${DEFAULT_RANGE_DAYS} days (default)`,
    from: 'default',
  };
}
