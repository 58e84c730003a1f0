/** A decoded property value ready to show: `text` is what the user reads, `items` lists array elements. */
export interface DiffValue {
  present: boolean;
  text: string;
  items: string[] | null;
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

/** One modified property of one target, old → new. */
export interface Change {
  target: string;
  property: string;
  kind: ChangeKind;
  before: DiffValue;
  after: DiffValue;
  /** For list values: elements only in the new value / only in the old value. */
  addedItems: string[];
  removedItems: string[];
}

type Json = Record<string, unknown>;

const ABSENT: DiffValue = { present: false, text: '', items: null };

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value, null, 2);
}

/**
 * Microsoft sends modified values as JSON-encoded strings (`"[\"a\",\"b\"]"`, `"\"x\""`), sometimes plain
 * text, sometimes real JSON. Decode when the text parses as JSON, keep it verbatim when it does not.
 */
export function decodeValue(value: unknown): DiffValue {
  if (value === null || value === undefined) return ABSENT;
  let decoded: unknown = value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return ABSENT;
    if (/^[[{"]/.test(trimmed)) {
      try {
        decoded = JSON.parse(trimmed);
      } catch {
        decoded = value;
      }
    }
  }
  if (decoded === null || decoded === '') return ABSENT;
  if (Array.isArray(decoded)) {
    if (decoded.length === 0) return ABSENT;
    const items = decoded.map(show);
    return { present: true, text: items.join('\n'), items };
  }
  return { present: true, text: show(decoded), items: null };
}

function kindOf(before: DiffValue, after: DiffValue): ChangeKind {
  if (!before.present && after.present) return 'added';
  if (before.present && !after.present) return 'removed';
  return before.text === after.text ? 'unchanged' : 'changed';
}

/** Builds the diff row for one property. */
export function diffProperty(target: string, property: string, oldValue: unknown, newValue: unknown): Change {
  const before = decodeValue(oldValue);
  const after = decodeValue(newValue);
  const oldItems = before.items ?? (before.present ? [before.text] : []);
  const newItems = after.items ?? (after.present ? [after.text] : []);
  const listy = before.items !== null || after.items !== null;
  return {
    target,
    property,
    kind: kindOf(before, after),
    before,
    after,
    addedItems: listy ? newItems.filter((item) => !oldItems.includes(item)) : [],
    removedItems: listy ? oldItems.filter((item) => !newItems.includes(item)) : [],
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function fromList(target: string, list: unknown, nameKey: string, oldKey: string, newKey: string): Change[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(isRecord)
    .map((p) => diffProperty(target, text(p[nameKey]) || '(unnamed)', p[oldKey], p[newKey]));
}

/**
 * Every old → new change recorded in an event's raw source record: Graph directory audits
 * (`targetResources[].modifiedProperties`), Intune audit events (`resources[].modifiedProperties`) and
 * Management Activity records (`ModifiedProperties`, with `Name`/`OldValue`/`NewValue`).
 */
export function extractChanges(raw: unknown): Change[] {
  if (!isRecord(raw)) return [];
  const changes: Change[] = [];
  for (const key of ['targetResources', 'resources']) {
    const resources = raw[key];
    if (!Array.isArray(resources)) continue;
    for (const resource of resources.filter(isRecord)) {
      const name =
        text(resource.displayName) ||
        text(resource.userPrincipalName) ||
        text(resource.id) ||
        text(resource.resourceId) ||
        key;
      changes.push(...fromList(name, resource.modifiedProperties, 'displayName', 'oldValue', 'newValue'));
    }
  }
  const target = text(raw.ObjectId) || text(raw.Workload) || 'record';
  changes.push(...fromList(target, raw.ModifiedProperties, 'Name', 'OldValue', 'NewValue'));
  return changes;
}
