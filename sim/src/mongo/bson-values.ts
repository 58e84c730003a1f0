import { BSONRegExp, Long, type Document } from 'bson';

/** A deserialized BSON value as the sim stores it (numbers promoted, everything else as bson classes). */
export type Value = unknown;

const bsonType = (v: object): string | undefined => (v as { _bsontype?: string })._bsontype;

/** The server's canonical type order for comparisons and sorts (null and missing rank together). */
export function typeRank(v: Value): number {
  if (v === undefined || v === null) return 2;
  const t = typeof v;
  if (t === 'number' || t === 'bigint') return 3;
  if (t === 'string') return 4;
  if (t === 'boolean') return 9;
  if (t !== 'object') return 14;
  if (Array.isArray(v)) return 6;
  if (v instanceof Date) return 10;
  if (v instanceof RegExp) return 12;
  switch (bsonType(v)) {
    case 'MinKey':
      return 1;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 13;
    case undefined:
      return 5;
    default:
      return 5;
  }
}

/** A value's type as server error messages name it (`int` for an integral number, which BSON may hold either way). */
export function typeName(v: Value): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Date) return 'date';
  if (typeof v === 'object') {
    const type = bsonType(v);
    if (type === 'ObjectId') return 'objectId';
    if (type === 'Long') return 'long';
    if (type === 'Decimal128') return 'decimal';
    if (type === 'Binary') return 'binData';
    if (type === 'BSONRegExp' || v instanceof RegExp) return 'regex';
    return 'object';
  }
  return typeof v;
}

/** The numeric value of a number-like BSON value (precision beyond doubles is not kept). */
export function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Long) return v.toNumber();
  return Number(String(v));
}

const cmp = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders two values as the server does (canonical type order first, then within the type). */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return cmp(a, b);
  if (a instanceof Date && b instanceof Date) return cmp(a.getTime(), b.getTime());
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
    case 2:
    case 13:
      return 0;
    case 3: {
      if (a instanceof Long && b instanceof Long) return a.compare(b);
      const x = toNumber(a);
      const y = toNumber(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return cmp(x, y);
    }
    case 4:
      return cmp(String(a), String(b));
    case 5:
      return compareObjects(a as Document, b as Document);
    case 6:
      return compareArrays(a as Value[], b as Value[]);
    case 7: {
      const x = (a as { buffer: Uint8Array; sub_type: number }).buffer;
      const y = (b as { buffer: Uint8Array; sub_type: number }).buffer;
      if (x.length !== y.length) return x.length - y.length;
      const sub = (a as { sub_type: number }).sub_type - (b as { sub_type: number }).sub_type;
      return sub !== 0 ? sub : Buffer.compare(x, y);
    }
    case 8:
      return cmp(
        (a as { toHexString(): string }).toHexString(),
        (b as { toHexString(): string }).toHexString(),
      );
    case 9:
      return cmp(Number(a), Number(b));
    case 10:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case 11:
      return (a as Long).compare(b as Long);
    case 12:
      return cmp(regexString(a), regexString(b));
    default:
      return cmp(String(a), String(b));
  }
}

function regexString(v: Value): string {
  if (v instanceof RegExp) return `${v.source}\u0000${v.flags}`;
  const r = v as BSONRegExp;
  return `${r.pattern}\u0000${r.options}`;
}

function compareArrays(a: Value[], b: Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareObjects(a: Document, b: Document): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const fa = ka[i] as string;
    const fb = kb[i] as string;
    const t = typeRank(a[fa]) - typeRank(b[fb]);
    if (t !== 0) return t;
    const f = cmp(fa, fb);
    if (f !== 0) return f;
    const v = compareValues(a[fa], b[fb]);
    if (v !== 0) return v;
  }
  return ka.length - kb.length;
}

/**
 * A string equal for exactly the values the server treats as equal in an index: numbers of any BSON type by
 * value, null and missing alike, documents field-order sensitive.
 */
export function valueKey(v: Value): string {
  if (v === undefined || v === null) return 'z';
  if (typeof v === 'number') return Object.is(v, -0) ? 'n0' : `n${v}`;
  if (typeof v === 'bigint') return `n${Number(v)}`;
  if (typeof v === 'string') return `s${v}\u0000`;
  if (typeof v === 'boolean') return v ? 'b1' : 'b0';
  if (typeof v !== 'object') return `?${typeof v}`;
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof RegExp) return `r${regexString(v)}`;
  switch (bsonType(v)) {
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return `n${toNumber(v)}`;
    case 'ObjectId':
      return `o${(v as { toHexString(): string }).toHexString()}`;
    case 'Binary': {
      const bin = v as { buffer: Uint8Array; sub_type: number };
      return `x${bin.sub_type}:${Buffer.from(bin.buffer).toString('base64')}`;
    }
    case 'Timestamp':
      return `t${(v as Long).toString()}`;
    case 'BSONRegExp':
      return `r${regexString(v)}`;
    case 'MinKey':
      return 'm-';
    case 'MaxKey':
      return 'm+';
    case 'BSONSymbol':
      return `s${(v as { value: string }).value}\u0000`;
    case undefined:
    default:
      break;
  }
  const doc = v as Document;
  return `{${Object.keys(doc)
    .map((k) => `${k}:${valueKey(doc[k])}`)
    .join(',')}}`;
}

/** Whether two stored values are identical (same fields in the same order, same values), without allocating. */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (isPlainDocument(a)) {
    if (!isPlainDocument(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      const k = ka[i] as string;
      if (k !== kb[i] || !sameValue(a[k], b[k])) return false;
    }
    return true;
  }
  return valueKey(a) === valueKey(b);
}

/** Whether two values are equal by the server's rules. */
export function valuesEqual(a: Value, b: Value): boolean {
  return valueKey(a) === valueKey(b);
}

/** A copy sharing nothing mutable with `doc` (bson value classes are immutable and shared). */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (v !== null && typeof v === 'object' && bsonType(v) === undefined && !(v instanceof RegExp)) {
    const out: Document = {};
    const source = v as Document;
    for (const k of Object.keys(source)) out[k] = cloneValue<unknown>(source[k]);
    return out as T;
  }
  return v;
}

/** Whether `v` is a plain document (not an array, date or bson value class). */
export function isPlainDocument(v: Value): v is Document {
  if (v !== null && typeof v === 'object' && v.constructor === Object) return true;
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    bsonType(v) === undefined
  );
}

/**
 * All values reachable at a dotted path, descending into arrays as the server does for indexes and queries:
 * `a.b` over `{a: [{b: 1}, {b: 2}]}` yields 1 and 2. A missing path yields nothing.
 */
export function valuesAtPath(doc: Value, path: string): Value[] {
  return pathReader(path)(doc);
}

/** {@link valuesAtPath} with the path parsed once, for use over many documents. */
export function pathReader(path: string): (doc: Value) => Value[] {
  if (!path.includes('.')) {
    return (doc) => {
      if (!isPlainDocument(doc)) return [];
      const v: Value = doc[path];
      return v === undefined && !(path in doc) ? [] : [v];
    };
  }
  const parts = path.split('.');
  return (doc) => {
    const out: Value[] = [];
    collect(doc, parts, 0, out);
    return out;
  };
}

function collect(v: Value, parts: string[], i: number, out: Value[]): void {
  if (i === parts.length) {
    out.push(v);
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(v)) {
    if (/^\d+$/.test(part)) {
      const item: Value = v[Number(part)];
      if (item !== undefined) collect(item, parts, i + 1, out);
      return;
    }
    for (const item of v) if (isPlainDocument(item)) collect(item, parts, i, out);
    return;
  }
  if (!isPlainDocument(v) || !(part in v)) return;
  collect(v[part], parts, i + 1, out);
}

/** The single value at a dotted path without array traversal, or undefined. */
export function getPath(doc: Document, path: string): Value {
  let v: Value = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(part)) v = v[Number(part)];
    else if (isPlainDocument(v)) v = v[part];
    else return undefined;
  }
  return v;
}

/** Sets a dotted path, creating intermediate documents. */
export function setPath(doc: Document, path: string, value: Value): void {
  const parts = path.split('.');
  let target: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const next: Value = target[part];
    if (isPlainDocument(next)) {
      target = next;
    } else {
      const created: Document = {};
      target[part] = created;
      target = created;
    }
  }
  target[parts[parts.length - 1] as string] = value;
}

/** Converts a stored or received BSONRegExp into the JS RegExp mingo evaluates. */
export function toJsRegExp(r: BSONRegExp): RegExp {
  let pattern = r.pattern;
  let flags = '';
  for (const option of r.options) {
    if (option === 'i' || option === 'm' || option === 's' || option === 'u') flags += option;
    // `x` (extended): whitespace and #-comments in the pattern are not part of it.
    if (option === 'x')
      pattern = pattern
        .replace(/\\#/g, '\uE000')
        .replace(/#[^\n]*/g, '')
        .replace(/\s+/g, '')
        .replace(/\uE000/g, '\\#');
  }
  return new RegExp(pattern, flags);
}

/** Converts every BSONRegExp in a filter into a JS RegExp so mingo matches it. */
export function normalizeFilter<T>(v: T): T {
  if (v instanceof BSONRegExp) return toJsRegExp(v) as T;
  if (Array.isArray(v)) return v.map(normalizeFilter) as T;
  if (isPlainDocument(v)) {
    const out: Document = {};
    for (const k of Object.keys(v)) out[k] = normalizeFilter<unknown>(v[k]);
    if (out.$regex !== undefined && typeof out.$options === 'string' && out.$regex instanceof RegExp) {
      // The server merges `$options` into the pattern's own flags; mingo ignores them on a RegExp.
      const merged = new Set([...out.$regex.flags, ...out.$options.replace(/[^imsu]/g, '')]);
      out.$regex = new RegExp(out.$regex.source, [...merged].join(''));
      delete out.$options;
    }
    return out as T;
  }
  return v;
}
