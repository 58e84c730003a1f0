/** Most tokens one event keeps: enough for every value of a large record, small enough for a multikey index. */
export const MAX_SEARCH_TERMS = 512;
/** Longest token; longer ones are cut, identically on the indexing and the query side. */
export const MAX_TERM_LENGTH = 64;
// Past this many characters a single value (a huge JSON blob in a property) adds nothing the cap would keep.
const MAX_VALUE_SCAN = 4096;
const MAX_DEPTH = 32;

// Character classes. Words end at whitespace, quotes, brackets and list punctuation (SEP); inside a word,
// `@ / \ :` (MAJOR) separate the meaningful parts of addresses, paths and URLs, and any other punctuation
// (INNER) separates letter/digit runs. A hand-rolled scanner over char codes, because normalization must
// sustain 50k events/s and regular expressions over every raw value were the bottleneck.
const ALNUM = 0;
const INNER = 1;
const MAJOR = 2;
const SEP = 3;

function buildClasses(): Uint8Array {
  // Every non-ASCII character counts as a letter (names in any script) except the Unicode spaces.
  const classes = new Uint8Array(65536);
  for (let c = 0; c < 128; c++) classes[c] = INNER;
  for (let c = 0; c < 32; c++) classes[c] = SEP;
  for (let c = 48; c <= 57; c++) classes[c] = ALNUM;
  for (let c = 65; c <= 90; c++) classes[c] = ALNUM;
  for (let c = 97; c <= 122; c++) classes[c] = ALNUM;
  for (const ch of ' "\'`,;()[]{}<>|!?*=&#^~') classes[ch.charCodeAt(0)] = SEP;
  for (const ch of '@/\\:') classes[ch.charCodeAt(0)] = MAJOR;
  for (const c of [0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) classes[c] = SEP;
  for (let c = 0x2000; c <= 0x200b; c++) classes[c] = SEP;
  return classes;
}
const CLASS = buildClasses();

// The tokens of one text or event, deduplicated with an open-addressing table hashed while scanning, so a
// repeated token costs neither a string allocation nor V8's string hashing (a Set<string> was the hot spot).
const TABLE_SIZE = 2048; // a power of two, at least 4 × MAX_SEARCH_TERMS
const TABLE_MASK = TABLE_SIZE - 1;

interface Terms {
  list: string[];
  /** Marks the slots of this collection in the shared table, so the table never needs clearing. */
  generation: number;
}

// One table reused by every collection: collections are synchronous and never interleave, and clearing
// (or allocating) 2048-slot tables per event cost more than the lookups themselves.
const table = {
  generation: 0,
  stamps: new Int32Array(TABLE_SIZE),
  slots: new Int32Array(TABLE_SIZE),
  hashes: new Int32Array(TABLE_SIZE),
};

function newTerms(): Terms {
  table.generation = (table.generation + 1) | 0;
  if (table.generation === 0) {
    table.stamps.fill(0);
    table.generation = 1;
  }
  return { list: [], generation: table.generation };
}

function isFull(terms: Terms): boolean {
  return terms.list.length >= MAX_SEARCH_TERMS;
}

function sameToken(token: string, text: string, start: number): boolean {
  for (let i = 0; i < token.length; i++) if (token.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

function add(terms: Terms, text: string, start: number, fullEnd: number): void {
  if (fullEnd - start < 2 || terms.list.length >= MAX_SEARCH_TERMS) return;
  const end = Math.min(fullEnd, start + MAX_TERM_LENGTH);
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  let slot = hash & TABLE_MASK;
  for (;;) {
    if (table.stamps[slot] !== terms.generation) {
      terms.list.push(text.slice(start, end));
      table.stamps[slot] = terms.generation;
      table.slots[slot] = terms.list.length - 1;
      table.hashes[slot] = hash;
      return;
    }
    if (table.hashes[slot] === hash) {
      const existing = terms.list[table.slots[slot] ?? 0] ?? '';
      if (existing.length === end - start && sameToken(existing, text, start)) return;
    }
    slot = (slot + 1) & TABLE_MASK;
  }
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || code >= 128;
}

/**
 * `mail.evil.com` also yields `evil.com`, so a search for a domain finds addresses at its subdomains; only
 * names ending in a letter (domains, file names) get suffixes, not IP addresses or version numbers.
 */
function addDottedSuffixes(terms: Terms, text: string, start: number, end: number): void {
  if (!isLetter(text.charCodeAt(end - 1))) return;
  // Bounded by hand: `indexOf` would run on past the word to the end of a long value, for every word.
  let dot = -1;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) !== DOT) continue;
    if (dot >= 0) add(terms, text, dot + 1, end);
    dot = i;
  }
}

// Hyphen positions of a GUID; its hex runs are never searched for on their own.
function isGuidAt(text: string, start: number, end: number): boolean {
  if (end - start !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const code = text.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
    } else if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) {
      return false;
    }
  }
  return true;
}

const AT = 64;
const DOT = 46;

/**
 * Adds the compound parts of `text[start, end)` between separators: first between `: / \` (so
 * `smtp:attacker@evil.com` yields `attacker@evil.com`), then, within each part, between `@` (so an address
 * yields its domain). Plain parts are left to the atoms.
 */
function addParts(terms: Terms, text: string, start: number, end: number, atOnly: boolean): void {
  let partStart = start;
  for (let j = start; j <= end; j++) {
    if (j < end) {
      const code = text.charCodeAt(j);
      const isSeparator = atOnly ? code === AT : CLASS[code] === MAJOR && code !== AT;
      if (!isSeparator) continue;
    }
    let from = partStart;
    let to = j;
    partStart = j + 1;
    while (from < to && CLASS[text.charCodeAt(from)] !== ALNUM) from++;
    while (to > from && CLASS[text.charCodeAt(to - 1)] !== ALNUM) to--;
    if (to - from < 2) continue;
    let compound = false;
    let hasAt = false;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      if (CLASS[code] !== ALNUM) compound = true;
      if (code === AT) hasAt = true;
    }
    if (!compound) continue;
    add(terms, text, from, to);
    if (hasAt && !atOnly) addParts(terms, text, from, to, true);
    else addDottedSuffixes(terms, text, from, to);
  }
}

/**
 * Digit runs inside a compound (the parts of dates, versions, SIDs, IP addresses) are not kept as tokens:
 * nobody searches for "27" meaning a day, and they would crowd out the tokens that matter.
 */
function isDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

// Scratch space for the atom boundaries of the word being scanned: synchronous use only, never kept.
const MAX_HELD_ATOMS = 64;
const atoms = new Int32Array(MAX_HELD_ATOMS * 2);

/**
 * Adds the tokens of one string in a single pass: each word whole (edges trimmed to letters and digits);
 * for a compound word also its atoms, its parts between MAJOR separators (or its dotted suffixes), except
 * that a GUID stays whole.
 */
function addText(terms: Terms, value: string): void {
  const text = (value.length > MAX_VALUE_SCAN ? value.slice(0, MAX_VALUE_SCAN) : value).toLowerCase();
  const length = text.length;
  let i = 0;
  while (i < length) {
    while (i < length && CLASS[text.charCodeAt(i)] === SEP) i++;
    if (i >= length) return;
    let first = -1;
    let last = -1;
    let atomCount = 0;
    let hasMajor = false;
    let hasAt = false;
    let hasDot = false;
    for (;;) {
      const atomStart = i;
      while (i < length && CLASS[text.charCodeAt(i)] === ALNUM) i++;
      if (i > atomStart) {
        if (first < 0) first = atomStart;
        last = i;
        if (atomCount < MAX_HELD_ATOMS) {
          atoms[atomCount * 2] = atomStart;
          atoms[atomCount * 2 + 1] = i;
        } else {
          add(terms, text, atomStart, i);
        }
        atomCount++;
      }
      if (i >= length) break;
      const cls = CLASS[text.charCodeAt(i)];
      if (cls === SEP) break;
      const code = text.charCodeAt(i);
      if (code === AT) hasAt = true;
      else if (cls === MAJOR) hasMajor = true;
      else if (code === DOT) hasDot = true;
      i++;
    }
    if (first < 0 || last - first < 2) continue;
    add(terms, text, first, last);
    if (atomCount <= 1 || isGuidAt(text, first, last)) continue;
    const held = Math.min(atomCount, MAX_HELD_ATOMS);
    for (let a = 0; a < held; a++) {
      const atomFrom = atoms[a * 2] ?? 0;
      const atomTo = atoms[a * 2 + 1] ?? 0;
      if (!isDigits(text, atomFrom, atomTo)) add(terms, text, atomFrom, atomTo);
    }
    if (hasMajor) {
      addParts(terms, text, first, last, false);
    } else if (hasAt) {
      // A plain address: its only parts are around the `@`.
      addParts(terms, text, first, last, true);
    } else if (hasDot) {
      addDottedSuffixes(terms, text, first, last);
    }
    if (isFull(terms)) return;
  }
}

// Tenant-wide ids are on every record of a tenant: as search terms they would match everything.
const SKIPPED_KEYS = new Set([
  'OrganizationId',
  'ActorContextId',
  'TargetContextId',
  'TokenTenantId',
  'tenantId',
  '@odata.type',
  '@odata.context',
]);

function addValues(terms: Terms, value: unknown, depth: number): void {
  if (isFull(terms) || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    // Ids are the most common values and need no scan: a GUID is one token.
    if (isGuidAt(value, 0, value.length) || (value.length === 36 && isGuidAt(value.toLowerCase(), 0, 36))) {
      add(terms, value.toLowerCase(), 0, 36);
      return;
    }
    addText(terms, value);
  } else if (Array.isArray(value)) {
    for (const item of value) addValues(terms, item, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key in record) if (!SKIPPED_KEYS.has(key)) addValues(terms, record[key], depth + 1);
  }
}

/**
 * Splits text into lower-cased search tokens, exactly as events are indexed: each word whole, its parts
 * between `@ / \ :` (and the domain suffixes of dotted parts), and its letter/digit runs; tokens shorter
 * than 2 characters are dropped and longer than 64 cut. `attacker@evil.com` gives `attacker@evil.com`,
 * `attacker`, `evil.com`, `evil`, `com`. The query side must use this same function on user text.
 */
export function tokenizeSearch(text: string): string[] {
  const terms = newTerms();
  addText(terms, text);
  return terms.list;
}

/**
 * The `search_terms` of an event: tokens of the summary fields first (so they survive the cap), then of
 * every string value in the raw record, recursively; deduplicated and at most `MAX_SEARCH_TERMS`.
 */
export function buildSearchTerms(fields: readonly string[], raw: unknown): string[] {
  const terms = newTerms();
  for (const field of fields) addText(terms, field);
  addValues(terms, raw, 0);
  return terms.list;
}
