/** Most tokens one event keeps: enough for every value of a large record, small enough for a multikey index. */
export const MAX_SEARCH_TERMS = 512;

// The tokens of one text or event, deduplicated with an open-addressing table keyed by a hash the tokenizer
// computed while scanning, so a repeated token costs neither a string allocation nor V8's string hashing
// (a Set<string> was the hot spot).
const TABLE_BITS = 11;
const TABLE_SIZE = 1 << TABLE_BITS; // at least 4 × MAX_SEARCH_TERMS
const TABLE_MASK = TABLE_SIZE - 1;

/** The distinct tokens of one text or event, in first-seen order. */
export interface TermSet {
  list: string[];
  /** The (lower-cased) texts tokenized into this set so far, for the tokenizer to skip repeats. */
  texts: string[];
  /** Marks the slots of this set in the shared table, so the table never needs clearing. */
  generation: number;
}

// One table reused by every set: sets are filled synchronously and never interleave, and clearing (or
// allocating) a 2048-slot table per event cost more than the lookups themselves.
const table = {
  generation: 0,
  stamps: new Int32Array(TABLE_SIZE),
  slots: new Int32Array(TABLE_SIZE),
  hashes: new Int32Array(TABLE_SIZE),
};

export function newTermSet(): TermSet {
  table.generation = (table.generation + 1) | 0;
  if (table.generation === 0) {
    table.stamps.fill(0);
    table.generation = 1;
  }
  return { list: [], texts: [], generation: table.generation };
}

export function isFull(terms: TermSet): boolean {
  return terms.list.length >= MAX_SEARCH_TERMS;
}

function sameToken(token: string, text: string, start: number): boolean {
  for (let i = 0; i < token.length; i++) if (token.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * Adds `text[start, end)` unless the set already holds it or is full. `hash` must be the same function of
 * the token's characters wherever the token comes from. It is mixed before picking a slot: the low bits of
 * the tokenizer's polynomial hash depend only on the low bits of the characters.
 */
export function addTerm(terms: TermSet, text: string, start: number, end: number, hash: number): void {
  if (terms.list.length >= MAX_SEARCH_TERMS) return;
  let slot = Math.imul(hash, 0x9e3779b1) >>> (32 - TABLE_BITS);
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
