import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Document, Node } from 'yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { buildMappings, MappingsEntryError } from './build-mappings.js';
import { builtInMappingsFile } from './defaults.js';
import type { Mappings } from './schema.js';
import { MappingsFile } from './schema.js';

const BUILT_IN = 'built-in defaults';

/** The built-in labels and templates alone, as used when there is no `mappings.yml`. */
export function defaultMappings(): Mappings {
  return buildMappings([builtInMappingsFile()], BUILT_IN);
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** The node at a path in the document, or the deepest one on the way; `atKey` points at a map key instead. */
function nodeAt(doc: Document, path: readonly PropertyKey[], atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = String(path[i]);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (pair === undefined) break;
      if (atKey && i === path.length - 1 && isScalar(pair.key)) return pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
    } else {
      break;
    }
    if (node !== null && typeof node === 'object') found = node as Node;
  }
  return found;
}

function fail(file: string, line: number, column: number, reason: string): ConfigError {
  return new ConfigError(`${file}:${line}: ${reason}`, { details: { file, line, column, reason } });
}

function failAt(
  file: string,
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  reason: string,
  atKey = false,
) {
  const offset = nodeAt(doc, path, atKey)?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  const where = path.length > 0 ? `${path.map(String).join('.')}: ` : '';
  return fail(file, line, col, `${where}${reason}`);
}

function firstIssue(file: string, doc: Document, lines: LineCounter, error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  if (issue === undefined) return fail(file, 1, 1, 'invalid mappings');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return failAt(file, doc, lines, [...issue.path, key], `unknown key "${key}"`, true);
  }
  return failAt(file, doc, lines, issue.path, issue.message);
}

/**
 * Loads `mappings.yml` over the built-in defaults. No path, or a file that does not exist, gives the
 * defaults (with `origin` saying so). A file that is not valid YAML, has a wrong shape, or holds a template
 * that does not compile throws a `ConfigError` whose message names the file, the line and the reason.
 */
export function loadMappings(path: string | undefined): Mappings {
  if (path === undefined || path === '') return defaultMappings();
  const file = resolve(path);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return buildMappings([builtInMappingsFile()], `${BUILT_IN} (${file} not found)`);
    throw new ConfigError(`${file}: cannot read mappings: ${(error as Error).message}`, { cause: error });
  }
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const pos = syntax.linePos?.[0] ?? lines.linePos(syntax.pos[0]);
    // The parser's message repeats the position and quotes the source; the first clause is the reason.
    const reason = (syntax.message.split('\n')[0] ?? syntax.code).replace(/ at line \d+, column \d+:?$/, '');
    throw fail(file, pos.line, pos.col, reason);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // Unresolvable or exploding aliases surface only when the document is converted.
    throw fail(file, 1, 1, (error as Error).message);
  }
  const parsed = MappingsFile.safeParse(data ?? {});
  if (!parsed.success) throw firstIssue(file, doc, lines, parsed.error);
  try {
    return buildMappings([builtInMappingsFile(), parsed.data], file);
  } catch (error) {
    if (error instanceof MappingsEntryError) throw failAt(file, doc, lines, error.path, error.message);
    throw error;
  }
}
