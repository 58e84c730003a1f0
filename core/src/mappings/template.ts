import { displayText, isObject } from '../normalize/values.js';

/** The values a summary template can refer to. */
export interface TemplateScope {
  readonly actor: string;
  readonly operation: string;
  readonly result: string;
  readonly service: string;
  readonly source: string;
  /** Target display names, in order; `targetTypes` is parallel to it. */
  readonly targets: readonly string[];
  readonly targetTypes: readonly (string | undefined)[];
  readonly changed: readonly string[];
  /** Exchange cmdlet parameters by lower-cased name. */
  readonly params: ReadonlyMap<string, string> | undefined;
  readonly raw: Record<string, unknown>;
}

/** A summary template compiled once, rendered per event. */
export interface CompiledTemplate {
  readonly text: string;
  render(scope: TemplateScope): string;
}

/** Thrown by `compileTemplate` with a reason a user can act on; the loader adds file and line. */
export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
}

type Getter = (scope: TemplateScope) => string;
type Part = string | { get: Getter; fallback: string } | { group: Part[] };

export const PLACEHOLDERS =
  '{actor}, {operation}, {result}, {service}, {source}, {target}, {targets}, {targets.<Type>}, {changed}, {params.<Name>}, {raw.<path>}';

/** "a", "a and b", "a, b and c", "a, b, c and 2 more": lists stay readable in one line. */
export function joinList(items: readonly string[], max = 3): string {
  if (items.length === 0) return '';
  if (items.length === 1) return items[0] ?? '';
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return joinList(value.map((v) => displayText(v)).filter((v): v is string => v !== undefined));
  }
  return displayText(value) ?? '';
}

function readPath(raw: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = raw;
  for (const segment of path) {
    if (Array.isArray(current)) {
      current = current[Number(segment)];
    } else if (isObject(current)) {
      let next = current[segment];
      // Microsoft is inconsistent about key case (`type` and `Type` in one API), so a miss retries ignoring case.
      if (next === undefined) {
        const lower = segment.toLowerCase();
        for (const key in current) {
          if (key.toLowerCase() === lower) {
            next = current[key];
            break;
          }
        }
      }
      current = next;
    } else {
      return undefined;
    }
  }
  return current;
}

function getter(name: string): Getter {
  switch (name) {
    case 'actor':
      return (s) => s.actor;
    case 'operation':
      return (s) => s.operation;
    case 'result':
      return (s) => s.result;
    case 'service':
      return (s) => s.service;
    case 'source':
      return (s) => s.source;
    case 'target':
      return (s) => s.targets[0] ?? '';
    case 'targets':
      return (s) => joinList(s.targets);
    case 'changed':
      return (s) => joinList(s.changed, 4);
  }
  const dot = name.indexOf('.');
  const root = dot < 0 ? name : name.slice(0, dot);
  const rest = dot < 0 ? '' : name.slice(dot + 1);
  if (rest !== '' && root === 'targets') {
    const type = rest.toLowerCase();
    return (s) => joinList(s.targets.filter((_, i) => s.targetTypes[i]?.toLowerCase() === type));
  }
  if (rest !== '' && root === 'params') {
    const key = rest.toLowerCase();
    return (s) => displayText(s.params?.get(key)) ?? '';
  }
  if (rest !== '' && root === 'raw') {
    const path = rest.split('.');
    if (path.some((segment) => segment === '')) throw new TemplateSyntaxError(`empty segment in {${name}}`);
    return (s) => formatValue(readPath(s.raw, path));
  }
  throw new TemplateSyntaxError(`unknown placeholder {${name}}; known: ${PLACEHOLDERS}`);
}

function parse(template: string): Part[] {
  const root: Part[] = [];
  let parts = root;
  let literal = '';
  const flush = () => {
    if (literal !== '') parts.push(literal);
    literal = '';
  };
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    const next = template[i + 1];
    if ((ch === '{' || ch === '}' || ch === '[' || ch === ']') && next === ch) {
      literal += ch;
      i++;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0)
        throw new TemplateSyntaxError(`unclosed "{" at position ${i + 1} (write "{{" for a literal brace)`);
      const body = template.slice(i + 1, end);
      const bar = body.indexOf('|');
      const name = (bar < 0 ? body : body.slice(0, bar)).trim();
      if (name === '') throw new TemplateSyntaxError(`empty placeholder at position ${i + 1}`);
      flush();
      parts.push({ get: getter(name), fallback: bar < 0 ? '' : body.slice(bar + 1) });
      i = end;
    } else if (ch === '}') {
      throw new TemplateSyntaxError(`unmatched "}" at position ${i + 1} (write "}}" for a literal brace)`);
    } else if (ch === '[') {
      if (parts !== root)
        throw new TemplateSyntaxError(`optional groups "[...]" cannot nest (position ${i + 1})`);
      flush();
      const group: Part[] = [];
      root.push({ group });
      parts = group;
    } else if (ch === ']') {
      if (parts === root)
        throw new TemplateSyntaxError(
          `unmatched "]" at position ${i + 1} (write "]]" for a literal bracket)`,
        );
      flush();
      parts = root;
    } else {
      literal += ch;
    }
  }
  if (parts !== root)
    throw new TemplateSyntaxError('unclosed optional group "[" (write "[[" for a literal bracket)');
  flush();
  return root;
}

/** Renders parts; returns undefined when an optional group has an empty placeholder, so the group is dropped. */
function renderParts(parts: readonly Part[], scope: TemplateScope, optional: boolean): string | undefined {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
    } else if ('get' in part) {
      const value = part.get(scope) || part.fallback;
      if (value === '' && optional) return undefined;
      out += value;
    } else {
      out += renderParts(part.group, scope, true) ?? '';
    }
  }
  return out;
}

const SPACES = /\s+/g;

/**
 * Compiles a summary template: `{placeholder}` or `{placeholder|fallback}` is replaced by its value, and an
 * optional group `[ to {target}]` is dropped when any placeholder in it is empty. Doubled characters
 * (`{{`, `]]`) are literals. Throws `TemplateSyntaxError` on a malformed template or an unknown placeholder.
 */
export function compileTemplate(template: string): CompiledTemplate {
  const parts = parse(template);
  return {
    text: template,
    render: (scope) => (renderParts(parts, scope, false) ?? '').replace(SPACES, ' ').trim(),
  };
}
