/** Small readers that turn loosely typed Microsoft JSON into clean values; shared by every source parser. */

export type JsonObject = Record<string, unknown>;

/** Display values Microsoft uses to mean "nothing" (Intune writes the literal `<null>`). */
const EMPTY_MARKERS = new Set([
  '<null>',
  'null',
  'undefined',
  'n/a',
  'notset',
  'not available',
  'unknown',
  'unknown (unknown)',
]);

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A trimmed, non-empty string; numbers become strings because sources send both forms. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const s = value.trim();
    return s === '' ? undefined : s;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * A string worth showing as a name: like `text`, but the all-zero GUID and Microsoft's "nothing" markers
 * (Intune writes the literal `<null>`, Graph `NotSet`, Management Activity `Unknown`) become undefined.
 */
export function displayText(value: unknown): string | undefined {
  const s = text(value);
  if (s === undefined || s === ZERO_GUID) return undefined;
  if (s.length <= 17 && EMPTY_MARKERS.has(s.toLowerCase())) return undefined;
  return s;
}

/** A number from a number or a string-typed number (`"RecordType":"15"`). */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function isGuid(value: string): boolean {
  return value.length === 36 && GUID.test(value);
}

/** The first string worth showing among candidates. */
export function firstDisplay(...values: unknown[]): string | undefined {
  for (const value of values) {
    const s = displayText(value);
    if (s !== undefined) return s;
  }
  return undefined;
}

/** The resolved display name of an object id, from enrichment; tolerant of GUID case. */
export function resolveName(
  names: ReadonlyMap<string, string> | undefined,
  id: string | undefined,
): string | undefined {
  if (names === undefined || id === undefined || names.size === 0) return undefined;
  return displayText(names.get(id)) ?? displayText(names.get(id.toLowerCase()));
}

const NO_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
// ISO dates, and the US-style `2/12/2026 6:43:08 AM` of Intune diagnostic records; never bare numbers.
const DATE_LIKE = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})/;

/** The digits `value[start, start + count)` as a number, or -1 when one of them is not a digit. */
function digitsAt(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function isSeparatedLikeIso(value: string): boolean {
  return (
    value.charCodeAt(4) === 45 && // -
    value.charCodeAt(7) === 45 &&
    value.charCodeAt(10) === 84 && // T
    value.charCodeAt(13) === 58 && // :
    value.charCodeAt(16) === 58
  );
}

/**
 * Epoch milliseconds of the form every source uses, `YYYY-MM-DDTHH:MM:SS[.f…][Z]` read as UTC, without the
 * regular expressions and `Date.parse` (a timestamp is parsed for every record). Undefined for any other
 * form, and for fields `Date.parse` would roll over or reject (day 29 and up, hour 24, two-digit years…),
 * which then take the general path.
 */
function parseCommonIso(value: string): number | undefined {
  if (value.length < 19 || !isSeparatedLikeIso(value)) return undefined;
  const end = value.charCodeAt(value.length - 1) === 90 ? value.length - 1 : value.length; // Z
  let ms = 0;
  if (end > 19) {
    if (value.charCodeAt(19) !== 46 || end === 20 || digitsAt(value, 20, end - 20) < 0) return undefined;
    // `Date.parse` keeps the first three fraction digits (Graph sends seven) and pads shorter ones.
    const kept = Math.min(end - 20, 3);
    ms = digitsAt(value, 20, kept) * 10 ** (3 - kept);
  }
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * Parses an ISO timestamp. Management Activity `CreationTime` has no zone but is UTC
 * (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-schema),
 * so a zone-less value is read as UTC rather than local time.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const common = parseCommonIso(value);
  if (common !== undefined) return new Date(common);
  if (!DATE_LIKE.test(value)) return undefined;
  const iso = NO_ZONE.test(value) ? `${value}Z` : value;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

const MEANINGFUL = /[\p{L}\p{N}]/u;

/**
 * The last meaningful segment of an Exchange identity or URL path (`org\Transport Settings` → `Transport
 * Settings`, `org\user\.` → `user`).
 */
export function lastSegment(value: string): string {
  const segments = value.split(/[/\\]/);
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i];
    if (segment !== undefined && MEANINGFUL.test(segment)) return segment;
  }
  return value;
}

/**
 * Graph `modifiedProperties` values are often JSON-encoded strings (`"\"Member\""`); a JSON string literal
 * is decoded, anything else (arrays, objects, plain text) is returned as it was.
 */
export function decodeJsonString(value: unknown): string | undefined {
  const s = text(value);
  if (s === undefined) return undefined;
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      const decoded: unknown = JSON.parse(s);
      if (typeof decoded === 'string') return text(decoded);
    } catch {
      return s;
    }
  }
  return s;
}

/** The object without its undefined members, so stored documents carry no nulls the source never sent. */
export function compact(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
