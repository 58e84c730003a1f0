import { ValidationError } from '@aoc/core';
import type { AppContext } from '../app-env.js';

/**
 * The query string as an object for core's schemas: one value stays a string, a repeated parameter becomes a
 * list. Keys in bracket or `$` syntax (`service[$ne]=x`) are refused rather than silently ignored, so nobody
 * mistakes them for working operators.
 */
export function queryInput(c: AppContext): Record<string, string | string[]> {
  const input: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (key.includes('$') || key.includes('[')) {
      throw new ValidationError(`Invalid input: ${key}: operators are not accepted`, {
        details: [{ field: key, message: 'operators are not accepted' }],
      });
    }
    input[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return input;
}

/** The JSON body, or a 400 naming the problem (wrong content type, malformed JSON, not an object). */
export async function jsonBody(c: AppContext): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ValidationError('Expected a JSON body (Content-Type: application/json)');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    if (error instanceof SyntaxError) throw new ValidationError('Malformed JSON body', { cause: error });
    throw error;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('Expected a JSON object');
  }
  return body as Record<string, unknown>;
}
