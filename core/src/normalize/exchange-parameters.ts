import { asArray, asObject, text } from './values.js';

// One `-Name value` pair of a PowerShell command line: the value is quoted, a parenthesised list, or a bare
// word; a switch has no value.
const PARAMETER = /(?:^|\s)-([A-Za-z][\w-]*)(?:\s+("(?:[^"\\]|\\.)*"|\([^)]*\)|[^\s"(-][^\s]*))?/g;

function unquote(value: string): string {
  if (value.startsWith('(') && value.endsWith(')')) {
    return value
      .slice(1, -1)
      .split(',')
      .map((item) => unquote(item.trim()))
      .filter((item) => item !== '')
      .join(', ');
  }
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  return value;
}

/**
 * Exchange cmdlet parameters by lower-cased name. The Management Activity API sends `Parameters` as a
 * `[{Name, Value}]` array, but some records carry the whole command line as one string; both are read.
 */
export function parseExchangeParameters(value: unknown): Map<string, string> {
  const params = new Map<string, string>();
  if (typeof value === 'string') {
    for (const match of value.matchAll(PARAMETER)) {
      const name = match[1];
      if (name === undefined) continue;
      const raw = match[2];
      params.set(name.toLowerCase(), raw === undefined ? 'True' : unquote(raw));
    }
    return params;
  }
  for (const entry of asArray(value)) {
    const pair = asObject(entry);
    const name = text(pair?.['Name']);
    if (name === undefined) continue;
    const v = pair?.['Value'];
    params.set(name.toLowerCase(), typeof v === 'string' ? v : (text(v) ?? ''));
  }
  return params;
}

/** Original-case parameter names, in order, for the "changed" list of a cmdlet record. */
export function parameterNames(value: unknown): string[] {
  const names: string[] = [];
  if (typeof value === 'string') {
    for (const match of value.matchAll(PARAMETER)) if (match[1] !== undefined) names.push(match[1]);
    return names;
  }
  for (const entry of asArray(value)) {
    const name = text(asObject(entry)?.['Name']);
    if (name !== undefined) names.push(name);
  }
  return names;
}
