import type { Filter } from 'mongodb';
import { tokenizeSearch } from '../normalize/search-terms.js';
import type { EventDocument } from '../store/collections.js';
import { escapeRegex } from './escape-regex.js';
import { parseSearchText } from './parse-search-text.js';

/** Most search terms one query may require; more words only narrow further and cost index work. */
const MAX_TERMS = 16;
const MAX_PREFIXES = 4;
const MAX_PHRASES = 4;

/**
 * The tokens of one piece of a word that say something on their own: the tokenizer also emits the atoms of a
 * piece (`evil.com` → `evil`, `com`), which any event holding the whole piece holds too.
 */
function leadingTokens(piece: string): string[] {
  const kept: string[] = [];
  for (const token of tokenizeSearch(piece)) {
    if (!kept.some((earlier) => earlier.includes(token))) kept.push(token);
  }
  return kept;
}

// The tokenizer indexes the parts of a word between these separators (addresses, paths, URLs, `smtp:` values)
// but not always the whole word (`smtp:attacker@evil.com` is stored as `smtp`, `attacker`, `evil.com`, …), so a
// typed word is searched by its parts: `attacker@evil.com` finds the forwarding address inside that value.
const PART_SEPARATORS = /[@/\\:]+/;

function pieces(word: string): string[] {
  return word.split(PART_SEPARATORS).filter((piece) => piece.length > 0);
}

/** Exact tokens of complete words, and prefix tokens of the word still being typed. */
function terms(
  words: readonly string[],
  typing: string | undefined,
): { exact: string[]; prefixes: string[] } {
  const exact = words.flatMap(pieces).flatMap(leadingTokens);
  if (typing === undefined) return { exact, prefixes: [] };
  const parts = pieces(typing);
  // A word ending in a separator (`attacker@`) is complete up to there.
  const last = PART_SEPARATORS.test(typing.at(-1) ?? '') ? undefined : parts.pop();
  exact.push(...parts.flatMap(leadingTokens));
  return { exact, prefixes: last === undefined ? [] : leadingTokens(last) };
}

/**
 * The clauses that make free text search index-served on the multikey `search_terms` index: every complete
 * word must be present (`$all`); the word still being typed matches as an anchored, escaped prefix (`^prefix`,
 * which MongoDB turns into index bounds); each quoted phrase must also occur verbatim (case-insensitive) in the
 * summary or the raw record — a check made only on documents the index already selected. Tokens come from the
 * tokenizer that built `search_terms`, so what was indexed is what is searched.
 */
export function buildTextFilter(text: string): Filter<EventDocument>[] {
  const { words, phrases, prefix } = parseSearchText(text);
  const usedPhrases = phrases.slice(0, MAX_PHRASES);
  const { exact, prefixes } = terms(
    [...words, ...usedPhrases.flatMap((phrase) => phrase.split(/\s+/))],
    prefix,
  );
  const required = [...new Set(exact)].slice(0, MAX_TERMS);
  const clauses: Filter<EventDocument>[] = [];
  if (required.length > 0) clauses.push({ search_terms: { $all: required } });
  for (const start of prefixes.slice(0, MAX_PREFIXES))
    clauses.push({ search_terms: new RegExp(`^${escapeRegex(start)}`) });
  for (const phrase of usedPhrases) {
    const literal = new RegExp(escapeRegex(phrase), 'i');
    clauses.push({ $or: [{ display_summary: literal }, { raw_text: literal }] });
  }
  return clauses;
}
