/** One changed property of an event: its name and the values before and after (absent when not logged). */
export interface Change {
  property: string;
  old?: string;
  new?: string;
  /** The resource the property belongs to, when the record names it. */
  target?: string;
}

const MAX_CHANGES = 30;
const MAX_VALUE = 300;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record).filter((item) => item !== undefined) : [];
}

/**
 * A logged value as readable text: Graph wraps values in JSON strings (`"[\"Enabled\"]"`), which are unwrapped
 * when they hold a single scalar; whitespace is collapsed and long values are cut.
 */
function readable(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    const parsed: unknown = JSON.parse(text);
    const single = Array.isArray(parsed) && parsed.length === 1 ? (parsed[0] as unknown) : parsed;
    if (typeof single === 'string' || typeof single === 'number' || typeof single === 'boolean') {
      text = String(single);
    } else if (single === null || (Array.isArray(single) && single.length === 0)) {
      return undefined;
    }
  } catch {
    // Not JSON: the value is plain text already.
  }
  text = text.replace(/\s+/g, ' ').trim();
  if (text === '' || text === '""') return undefined;
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

function change(
  property: unknown,
  oldValue: unknown,
  newValue: unknown,
  target: unknown,
): Change | undefined {
  if (typeof property !== 'string' || property.trim() === '') return undefined;
  const old = readable(oldValue);
  const now = readable(newValue);
  return {
    property: property.trim(),
    ...(old === undefined ? {} : { old }),
    ...(now === undefined ? {} : { new: now }),
    ...(typeof target === 'string' && target !== '' ? { target } : {}),
  };
}

/**
 * The changes a raw audit record logs, for every source: Graph directory audits
 * (`targetResources[].modifiedProperties[]`), Intune audit events (`resources[].modifiedProperties[]`),
 * Management Activity records (`ModifiedProperties[]`, and Exchange cmdlet `Parameters[]`, whose old values
 * are not logged). At most 30.
 */
export function extractChanges(raw: Record<string, unknown>): Change[] {
  const changes: (Change | undefined)[] = [];
  for (const resource of [...list(raw['targetResources']), ...list(raw['resources'])]) {
    for (const prop of list(resource['modifiedProperties'])) {
      changes.push(change(prop['displayName'], prop['oldValue'], prop['newValue'], resource['displayName']));
    }
  }
  for (const prop of list(raw['ModifiedProperties'])) {
    changes.push(change(prop['Name'], prop['OldValue'], prop['NewValue'], undefined));
  }
  for (const param of list(raw['Parameters'])) {
    changes.push(change(param['Name'], undefined, param['Value'], undefined));
  }
  return changes.filter((item) => item !== undefined).slice(0, MAX_CHANGES);
}
