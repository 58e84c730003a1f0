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
 * The tokens of one typed word that say something on their own: the tokenizer also emits the parts and atoms of
 * a word (`alice@contoso.com` → `alice`, `contoso.com`, …), which any event holding the whole word holds too.
 */
function leadingTokens(word: string): string[] {
  const kept: string[] = [];
  for (const token of tokenizeSearch(word)) {
    if (!kept.some((earlier) => earlier.includes(token))) kept.push(token);
  }
  return kept;
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
  const exact = new Set([...words, ...usedPhrases].flatMap(leadingTokens));
  const prefixes = prefix === undefined ? [] : leadingTokens(prefix).slice(0, MAX_PREFIXES);
  const clauses: Filter<EventDocument>[] = [];
  const terms = [...exact].slice(0, MAX_TERMS);
  if (terms.length > 0) clauses.push({ search_terms: { $all: terms } });
  for (const start of prefixes) clauses.push({ search_terms: new RegExp(`^${escapeRegex(start)}`) });
  for (const phrase of usedPhrases) {
    const literal = new RegExp(escapeRegex(phrase), 'i');
    clauses.push({ $or: [{ display_summary: literal }, { raw_text: literal }] });
  }
  return clauses;
}
