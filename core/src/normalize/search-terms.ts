import type { TermSet } from './term-set.js';
import { addTerm, isFull, newTermSet } from './term-set.js';

export { MAX_SEARCH_TERMS } from './term-set.js';

/** Longest token; longer ones are cut, identically on the indexing and the query side. */
export const MAX_TERM_LENGTH = 64;
// Past this many characters a single value (a huge JSON blob in a property) adds nothing the cap would keep.
const MAX_VALUE_SCAN = 4096;
const MAX_DEPTH = 32;

// Character classes. Words end at whitespace, quotes, brackets and list punctuation (SEP); inside a word,
// `@ / \ :` (MAJOR) separate the meaningful parts of addresses, paths and URLs, and any other punctuation
// (INNER) separates letter/digit runs. A hand-rolled scanner over char codes, because normalization must
// sustain 50k events/s and regular expressions over every raw value were the bottleneck.
const DIGIT = 0;
const LETTER = 1;
const INNER = 2;
const MAJOR = 3;
const SEP = 4;

function buildClasses(): Uint8Array {
  // Every non-ASCII character counts as a letter (names in any script) except the Unicode spaces.
  const classes = new Uint8Array(65536).fill(LETTER);
  for (let c = 0; c < 128; c++) classes[c] = INNER;
  for (let c = 0; c < 32; c++) classes[c] = SEP;
  for (let c = 48; c <= 57; c++) classes[c] = DIGIT;
  for (let c = 65; c <= 90; c++) classes[c] = LETTER;
  for (let c = 97; c <= 122; c++) classes[c] = LETTER;
  for (const ch of ' "\'`,;()[]{}<>|!?*=&#^~') classes[ch.charCodeAt(0)] = SEP;
  for (const ch of '@/\\:') classes[ch.charCodeAt(0)] = MAJOR;
  for (const c of [0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) classes[c] = SEP;
  for (let c = 0x2000; c <= 0x200b; c++) classes[c] = SEP;
  return classes;
}
const CLASS = buildClasses();

const AT = 64;
const DOT = 46;

// Tokens are hashed with a polynomial hash whose prefixes are kept while a word is scanned: the hash of any
// token inside the word (an atom, a part, a domain suffix) is then one multiply away, instead of another pass
// over its characters. Base 31 because `(h << 5) - h` shortens the per-character dependency chain of the
// scan; the term set mixes the hash before using it.
const HASH_BASE = 31;

/** `hash * HASH_BASE + code`, modulo 2^32. */
function hashStep(hash: number, code: number): number {
  return ((hash << 5) - hash + code) | 0;
}

const POWERS = Int32Array.from({ length: MAX_TERM_LENGTH + 1 }, (_, k) => {
  let power = 1;
  for (let i = 0; i < k; i++) power = Math.imul(power, HASH_BASE);
  return power;
});

/**
 * What the scan of one word leaves behind, in scratch buffers reused by every call (the tokenizer is
 * synchronous and never re-entered, and allocating them per word cost more than the scan):
 * - `prefix[i]`: hash of the word's text up to position `i`;
 * - atoms, the letter/digit runs, as `[atomStart, atomEnd)` with `atomDigits` set for all-digit runs;
 * - marks, the `@ / \ : .` between atoms: position, character and how many atoms precede it, which is all
 *   the compound parts and dotted suffixes need.
 */
const word = {
  prefix: new Int32Array(0),
  atomStart: new Int32Array(0),
  atomEnd: new Int32Array(0),
  atomDigits: new Uint8Array(0),
  atomCount: 0,
  markAt: new Int32Array(0),
  markCode: new Uint16Array(0),
  markAtoms: new Int32Array(0),
  markCount: 0,
};

function reserve(length: number): void {
  if (word.prefix.length > length) return;
  const capacity = Math.max(2 * word.prefix.length, length + 1, 256);
  word.prefix = new Int32Array(capacity);
  word.atomStart = new Int32Array(capacity);
  word.atomEnd = new Int32Array(capacity);
  word.atomDigits = new Uint8Array(capacity);
  word.markAt = new Int32Array(capacity);
  word.markCode = new Uint16Array(capacity);
  word.markAtoms = new Int32Array(capacity);
}

/** Adds `text[start, end)`, cut to `MAX_TERM_LENGTH`; single characters are no tokens. */
function add(terms: TermSet, text: string, start: number, fullEnd: number): void {
  if (fullEnd - start < 2) return;
  const end = Math.min(fullEnd, start + MAX_TERM_LENGTH);
  const prefix = word.prefix;
  const hash = ((prefix[end] ?? 0) - Math.imul(prefix[start] ?? 0, POWERS[end - start] ?? 0)) | 0;
  addTerm(terms, text, start, end, hash);
}

/**
 * Scans the word starting at `start` (not a SEP) into `word` and returns where it ends: atoms, marks and
 * prefix hashes in one pass over its characters.
 */
function scanWord(text: string, start: number): number {
  const { prefix, atomStart, atomEnd, atomDigits, markAt, markCode, markAtoms } = word;
  const length = text.length;
  let atomCount = 0;
  let markCount = 0;
  let hash = 0;
  let i = start;
  prefix[i] = 0;
  while (i < length) {
    let code = text.charCodeAt(i);
    let cls = CLASS[code] ?? LETTER;
    if (cls <= LETTER) {
      atomStart[atomCount] = i;
      let letters = 0;
      do {
        letters |= cls;
        hash = hashStep(hash, code);
        prefix[++i] = hash;
        if (i >= length) break;
        code = text.charCodeAt(i);
        cls = CLASS[code] ?? LETTER;
      } while (cls <= LETTER);
      atomEnd[atomCount] = i;
      atomDigits[atomCount] = letters === DIGIT ? 1 : 0;
      atomCount++;
      if (i >= length) break;
    }
    if (cls === SEP) break;
    if (cls === MAJOR || code === DOT) {
      markAt[markCount] = i;
      markCode[markCount] = code;
      markAtoms[markCount] = atomCount;
      markCount++;
    }
    hash = hashStep(hash, code);
    prefix[++i] = hash;
  }
  word.atomCount = atomCount;
  word.markCount = markCount;
  return i;
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || code >= 128;
}

/**
 * `mail.evil.com` also yields `evil.com`, so a search for a domain finds addresses at its subdomains; only
 * names ending in a letter (domains, file names) get suffixes, not IP addresses or version numbers. Covers the
 * atoms `[fromAtom, toAtom)` and the marks `[fromMark, toMark)` around them.
 */
function addDottedSuffixes(
  terms: TermSet,
  text: string,
  fromAtom: number,
  toAtom: number,
  fromMark: number,
  toMark: number,
): void {
  const end = word.atomEnd[toAtom - 1] ?? 0;
  if (!isLetter(text.charCodeAt(end - 1))) return;
  let dot = -1;
  for (let m = fromMark; m < toMark; m++) {
    const atomsBefore = word.markAtoms[m] ?? 0;
    // A dot before the first atom or after the last one is trimmed off the part, not inside it.
    if (word.markCode[m] !== DOT || atomsBefore <= fromAtom || atomsBefore >= toAtom) continue;
    if (dot >= 0) add(terms, text, dot + 1, end);
    dot = word.markAt[m] ?? 0;
  }
}

/**
 * A part of a word between separators, trimmed to its first and last atom, counts only when it is compound
 * (two atoms or more): a plain part is already an atom. Within a part between `: / \` (so
 * `smtp:attacker@evil.com` yields `attacker@evil.com`), the parts between `@` come next (so an address
 * yields its domain), and within those the dotted suffixes.
 */
function addPart(
  terms: TermSet,
  text: string,
  fromAtom: number,
  toAtom: number,
  fromMark: number,
  toMark: number,
  atOnly: boolean,
): void {
  if (toAtom - fromAtom < 2) return;
  // A word without `: / \` inside is one part: the word itself, added already.
  const isWholeWord = fromAtom === 0 && toAtom === word.atomCount;
  if (!isWholeWord) add(terms, text, word.atomStart[fromAtom] ?? 0, word.atomEnd[toAtom - 1] ?? 0);
  if (!atOnly && hasInnerAt(fromAtom, toAtom, fromMark, toMark)) {
    addSplit(terms, text, fromAtom, toAtom, fromMark, toMark, true);
  } else {
    addDottedSuffixes(terms, text, fromAtom, toAtom, fromMark, toMark);
  }
}

function hasInnerAt(fromAtom: number, toAtom: number, fromMark: number, toMark: number): boolean {
  for (let m = fromMark; m < toMark; m++) {
    const atomsBefore = word.markAtoms[m] ?? 0;
    if (word.markCode[m] === AT && atomsBefore > fromAtom && atomsBefore < toAtom) return true;
  }
  return false;
}

/**
 * Adds the parts of atoms `[fromAtom, toAtom)` between the separator marks among `[fromMark, toMark)`: `@`
 * when `atOnly`, else `: / \`. A separator before the first atom or after the last only makes an empty part.
 */
function addSplit(
  terms: TermSet,
  text: string,
  fromAtom: number,
  toAtom: number,
  fromMark: number,
  toMark: number,
  atOnly: boolean,
): void {
  let partAtom = fromAtom;
  let partMark = fromMark;
  for (let m = fromMark; m < toMark; m++) {
    const code = word.markCode[m];
    const isSeparator = atOnly ? code === AT : code !== AT && code !== DOT;
    if (!isSeparator) continue;
    const atomsBefore = word.markAtoms[m] ?? 0;
    addPart(terms, text, partAtom, atomsBefore, partMark, m, atOnly);
    partAtom = atomsBefore;
    partMark = m + 1;
  }
  addPart(terms, text, partAtom, toAtom, partMark, toMark, atOnly);
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

// The first atoms of a word wait until the word itself is added; any past these go in as they are found,
// ahead of the word and with their digit runs. That is the order the index was built in, and since the
// term cap keeps the first tokens, it must not change.
const MAX_HELD_ATOMS = 64;

/**
 * Adds the tokens of the word just scanned: the word whole (edges trimmed to letters and digits); for a
 * compound word also its atoms except digit runs (the parts of dates, versions, SIDs and IP addresses:
 * nobody searches for "27" meaning a day, and they would crowd out the tokens that matter), then its
 * compound parts and dotted suffixes; a GUID stays whole.
 */
function addWord(terms: TermSet, text: string): void {
  const { atomStart, atomEnd, atomDigits, atomCount, markCount } = word;
  if (atomCount === 0) return;
  const first = atomStart[0] ?? 0;
  const last = atomEnd[atomCount - 1] ?? 0;
  if (last - first < 2) return;
  for (let a = MAX_HELD_ATOMS; a < atomCount; a++) add(terms, text, atomStart[a] ?? 0, atomEnd[a] ?? 0);
  add(terms, text, first, last);
  if (atomCount === 1 || isGuidAt(text, first, last)) return;
  const held = Math.min(atomCount, MAX_HELD_ATOMS);
  for (let a = 0; a < held; a++)
    if (atomDigits[a] === 0) add(terms, text, atomStart[a] ?? 0, atomEnd[a] ?? 0);
  if (markCount > 0) addSplit(terms, text, 0, atomCount, 0, markCount, false);
}

/** Adds `value` as one lower-cased token if it is a GUID in any case; false when it is not a GUID. */
function addGuid(terms: TermSet, value: string): boolean {
  if (value.length !== 36) return false;
  let hash = 0;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    let code = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
    } else if (code >= 65 && code <= 70) {
      code += 32;
      upper = true;
    } else if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) {
      return false;
    }
    hash = hashStep(hash, code);
  }
  addTerm(terms, upper ? value.toLowerCase() : value, 0, 36, hash);
  return true;
}

// A value repeated within one event (the actor in the summary and in the record, an id under two keys) is
// common; its tokens are all in the set already, or the set was full, so scanning it again adds nothing.
// Bounded, so a record with thousands of values does not compare each with all the others.
const MAX_REMEMBERED_TEXTS = 64;

function isRepeat(terms: TermSet, text: string): boolean {
  const texts = terms.texts;
  for (let k = 0; k < texts.length; k++) if (texts[k] === text) return true;
  if (texts.length < MAX_REMEMBERED_TEXTS) texts.push(text);
  return false;
}

/** Adds the tokens of one string, word by word. */
function addText(terms: TermSet, value: string): void {
  const text = (value.length > MAX_VALUE_SCAN ? value.slice(0, MAX_VALUE_SCAN) : value).toLowerCase();
  if (isRepeat(terms, text)) return;
  const length = text.length;
  reserve(length);
  let i = 0;
  while (i < length) {
    if (CLASS[text.charCodeAt(i)] === SEP) {
      i++;
      continue;
    }
    i = scanWord(text, i);
    addWord(terms, text);
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

function addValues(terms: TermSet, value: unknown, depth: number): void {
  if (isFull(terms) || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    // Ids are the most common values and need no scan: a GUID is one token.
    if (!addGuid(terms, value)) addText(terms, value);
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
  const terms = newTermSet();
  addText(terms, text);
  return terms.list;
}

/**
 * The `search_terms` of an event: tokens of the summary fields first (so they survive the cap), then of
 * every string value in the raw record, recursively; deduplicated and at most `MAX_SEARCH_TERMS`.
 */
export function buildSearchTerms(fields: readonly string[], raw: unknown): string[] {
  const terms = newTermSet();
  for (const field of fields) addText(terms, field);
  addValues(terms, raw, 0);
  return terms.list;
}
