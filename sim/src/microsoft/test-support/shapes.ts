export type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export const kindOf = (value: unknown): JsonKind =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : (typeof value as 'string' | 'number' | 'boolean' | 'object');

/**
 * Every path in a record (`a.b`, `list[].c`) with the JSON kinds seen there, merged over many records.
 * Array elements share one path, so a list's items are compared as one shape.
 */
export function collectPaths(
  value: unknown,
  into = new Map<string, Set<JsonKind>>(),
  prefix = '',
): Map<string, Set<JsonKind>> {
  if (prefix !== '') {
    const kinds = into.get(prefix) ?? new Set<JsonKind>();
    kinds.add(kindOf(value));
    into.set(prefix, kinds);
  }
  if (Array.isArray(value)) {
    for (const item of value) collectPaths(item, into, `${prefix}[]`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value))
      collectPaths(child, into, prefix === '' ? key : `${prefix}.${key}`);
  }
  return into;
}

/** Top-level keys present in every record. */
export function commonKeys(records: ReadonlyArray<Record<string, unknown>>): Set<string> {
  const [first, ...rest] = records;
  const keys = new Set(Object.keys(first ?? {}));
  for (const record of rest) for (const key of [...keys]) if (!(key in record)) keys.delete(key);
  return keys;
}
