import { MongoNetworkError, MongoNotConnectedError, MongoTopologyClosedError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { mapError } from './error-response.js';

describe('mapError for a database that cannot be reached', () => {
  it.each([
    ['closed topology', new MongoTopologyClosedError()],
    ['network', new MongoNetworkError('connection reset')],
    ['client reconnecting', new MongoNotConnectedError('client must be connected')],
  ])('answers 503 UNAVAILABLE, not a 500, for a %s error', (_, error) => {
    const mapped = mapError(error, 'req-1');
    expect(mapped.status).toBe(503);
    expect(mapped.body.error.code).toBe('UNAVAILABLE');
    expect(mapped.unexpected).toBe(false);
  });

  it('keeps an unknown error a 500 that reveals nothing but the request id', () => {
    const mapped = mapError(new Error('secret internals at /srv/x'), 'req-2');
    expect(mapped.status).toBe(500);
    expect(JSON.stringify(mapped.body)).not.toContain('secret internals');
    expect(mapped.body.error.details).toEqual({ request_id: 'req-2' });
  });
});
