import type { AuditRecord } from './records/context.js';
import { parseTicks } from './timeline.js';

export interface ParsedFilter {
  /** Inclusive bounds on the activity time, in ticks from the world's start. */
  low?: number;
  high?: number;
  predicates: Array<(record: AuditRecord) => boolean>;
}

export interface FilterDialect {
  /** Comparison operators allowed on activityDateTime. */
  timeOperators: ReadonlySet<string>;
  /** Property paths allowed in `eq` and `startswith`. */
  stringProperties: ReadonlySet<string>;
}

/**
 * Directory audits accept eq/ge/le on activityDateTime and eq/startswith on a few string properties; anything
 * else (gt, lt, createdDateTime, unknown properties) is rejected with "Invalid filter clause", as Graph does
 * (directoryaudit-list.md, "Optional query parameters").
 */
export const DIRECTORY_AUDIT_DIALECT: FilterDialect = {
  timeOperators: new Set(['eq', 'ge', 'le']),
  stringProperties: new Set([
    'id',
    'category',
    'correlationId',
    'result',
    'activityDisplayName',
    'loggedByService',
    'operationType',
    'initiatedBy/user/id',
    'initiatedBy/user/displayName',
    'initiatedBy/user/userPrincipalName',
    'initiatedBy/app/appId',
    'initiatedBy/app/displayName',
  ]),
};

export const INTUNE_AUDIT_DIALECT: FilterDialect = {
  timeOperators: new Set(['eq', 'ge', 'le', 'gt', 'lt']),
  stringProperties: new Set([
    'id',
    'category',
    'componentName',
    'activityType',
    'activityOperationType',
    'activityResult',
    'correlationId',
    'actor/userPrincipalName',
  ]),
};

export class InvalidFilter extends Error {
  override name = 'InvalidFilter';
}

function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < filter.length; i += 1) {
    if (filter[i] === "'") quoted = !quoted;
    if (!quoted && filter.slice(i, i + 5).toLowerCase() === ' and ') {
      parts.push(filter.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(filter.slice(start));
  return parts.map((p) =>
    p
      .trim()
      .replace(/^\((.*)\)$/, '$1')
      .trim(),
  );
}

function valueAt(record: AuditRecord, path: string): unknown {
  let current: unknown = record;
  for (const segment of path.split('/')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const unquote = (literal: string): string | undefined => {
  const m = /^'((?:[^']|'')*)'$/.exec(literal.trim());
  return m ? (m[1] ?? '').replace(/''/g, "'") : undefined;
};

/** Parses a `$filter` in the given dialect; throws InvalidFilter for what the real endpoint rejects. */
export function parseFilter(filter: string | null, dialect: FilterDialect, startMs: number): ParsedFilter {
  const parsed: ParsedFilter = { predicates: [] };
  if (filter === null || filter.trim() === '') return parsed;
  for (const clause of splitAnd(filter)) {
    const starts = /^startswith\(\s*([\w/]+)\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(clause);
    if (starts) {
      const [, path = '', literal = ''] = starts;
      const prefix = unquote(literal);
      if (!dialect.stringProperties.has(path) || prefix === undefined) throw new InvalidFilter();
      parsed.predicates.push((record) => {
        const value = valueAt(record, path);
        return typeof value === 'string' && value.toLowerCase().startsWith(prefix.toLowerCase());
      });
      continue;
    }
    const comparison = /^([\w/]+)\s+(eq|ne|ge|le|gt|lt)\s+(.+)$/i.exec(clause);
    if (!comparison) throw new InvalidFilter();
    const [, path = '', rawOperator = '', literal = ''] = comparison;
    const operator = rawOperator.toLowerCase();
    if (path === 'activityDateTime') {
      const ticks = parseTicks(literal.trim(), startMs);
      if (!dialect.timeOperators.has(operator) || ticks === undefined) throw new InvalidFilter();
      if (operator === 'ge' || operator === 'eq') parsed.low = Math.max(parsed.low ?? -Infinity, ticks);
      if (operator === 'le' || operator === 'eq') parsed.high = Math.min(parsed.high ?? Infinity, ticks);
      if (operator === 'gt') parsed.low = Math.max(parsed.low ?? -Infinity, ticks + 1);
      if (operator === 'lt') parsed.high = Math.min(parsed.high ?? Infinity, ticks - 1);
      continue;
    }
    const expected = unquote(literal);
    if (operator !== 'eq' || !dialect.stringProperties.has(path) || expected === undefined)
      throw new InvalidFilter();
    parsed.predicates.push((record) => valueAt(record, path) === expected);
  }
  return parsed;
}
