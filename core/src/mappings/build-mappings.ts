import type { Source } from '../events/model.js';
import type { Mappings, MappingsFile } from './schema.js';
import type { CompiledTemplate } from './template.js';
import { compileTemplate, TemplateSyntaxError } from './template.js';

/** A template or label that does not compile, with where it is in the file, for the loader to report. */
export class MappingsEntryError extends Error {
  override readonly name = 'MappingsEntryError';
  constructor(
    readonly path: readonly string[],
    reason: string,
  ) {
    super(reason);
  }
}

const SOURCES: readonly Source[] = ['directory', 'intune', 'unified'];
const VALUE = /\{value(?:\|([^}]*))?\}/g;
// Operations come from outside; the memo of glob lookups must not grow without bound.
const MEMO_LIMIT = 5000;

interface Glob {
  regex: RegExp;
  specificity: number;
  template: CompiledTemplate;
}

function globRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/** Entries of the layers, the last layer winning per key (compared ignoring case), its entries first. */
function layered(layers: readonly (Record<string, string> | undefined)[]): Array<[string, string]> {
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    for (const [key, value] of Object.entries(layers[i] ?? {})) {
      const lower = key.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      out.push([key, value]);
    }
  }
  return out;
}

function compileAt(path: readonly string[], text: string): CompiledTemplate {
  try {
    return compileTemplate(text);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new MappingsEntryError(path, error.message);
    throw error;
  }
}

function templateLookup(
  source: Source,
  entries: Array<[string, string]>,
  fallback: CompiledTemplate,
): (operation: string) => CompiledTemplate {
  const exact = new Map<string, CompiledTemplate>();
  const globs: Glob[] = [];
  for (const [key, text] of entries) {
    const template = compileAt(['summaries', source, key], text);
    if (key.includes('*')) {
      globs.push({ regex: globRegex(key), specificity: key.replaceAll('*', '').length, template });
    } else {
      exact.set(key.toLowerCase(), template);
    }
  }
  globs.sort((a, b) => b.specificity - a.specificity);
  const memo = new Map<string, CompiledTemplate>();
  return (operation) => {
    const key = operation.toLowerCase();
    const hit = exact.get(key) ?? memo.get(key);
    if (hit !== undefined) return hit;
    const template = globs.find((glob) => glob.regex.test(operation))?.template ?? fallback;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, template);
    return template;
  };
}

function labelLookup(entries: Array<[string, string]>): (key: string | undefined) => string {
  const labels = new Map(entries.map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const star = labels.get('*') ?? '{value}';
  return (key) => {
    const hit = key === undefined ? undefined : labels.get(key.toLowerCase());
    if (hit !== undefined) return hit;
    return star
      .replace(VALUE, (_, fallback: string | undefined) => key ?? fallback ?? '')
      .replace(/\s+/g, ' ')
      .trim();
  };
}

/**
 * Compiles layers of mappings (built-in defaults first, the user's file last) into lookups. Throws
 * `MappingsEntryError` naming the entry's path when a template does not compile.
 */
export function buildMappings(layers: readonly MappingsFile[], origin: string): Mappings {
  const services = new Map<Source, (key: string | undefined) => string>();
  const summaries = new Map<Source, (operation: string) => CompiledTemplate>();
  // Used when no layer has a "*" template for a source.
  const fallback = compileTemplate('{operation}[ by {actor}][ on {targets}]');
  for (const source of SOURCES) {
    services.set(source, labelLookup(layered(layers.map((l) => l.services?.[source]))));
    summaries.set(
      source,
      templateLookup(source, layered(layers.map((l) => l.summaries?.[source])), fallback),
    );
  }
  const results = new Map(
    layered(layers.map((l) => l.results?.labels)).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const missing =
    layers.reduce<string | undefined>((acc, l) => l.results?.missing ?? acc, undefined) ?? 'success';
  return {
    origin,
    serviceLabel: (source, key) => services.get(source)?.(key) ?? key ?? source,
    resultLabel: (raw) => (raw === undefined ? missing : (results.get(raw.toLowerCase()) ?? raw)),
    summaryTemplate: (source, operation) => summaries.get(source)?.(operation) ?? fallback,
  };
}
