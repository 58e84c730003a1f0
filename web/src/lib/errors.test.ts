import { describe, expect, it } from 'vitest';
import { describeError } from './errors.js';

describe('describeError', () => {
  it('recognizes a tRPC 403 as "no access"', () => {
    const view = describeError({ message: 'Forbidden', data: { httpStatus: 403, code: 'FORBIDDEN' } });
    expect(view).toMatchObject({ forbidden: true, unauthorized: false, status: 403, message: 'Forbidden' });
  });

  it('recognizes 401, aborts and unreachable servers', () => {
    expect(describeError({ message: 'x', status: 401 }).unauthorized).toBe(true);
    expect(describeError({ name: 'AbortError', message: 'aborted' }).aborted).toBe(true);
    expect(describeError({ message: 'x', cause: { name: 'AbortError' } }).aborted).toBe(true);
    expect(describeError(new TypeError('Failed to fetch')).message).toBe('The server could not be reached.');
  });

  it('copes with non-errors', () => {
    expect(describeError('boom')).toMatchObject({ message: 'boom', forbidden: false });
    expect(describeError({}).message).toBe('Unknown error');
  });
});
