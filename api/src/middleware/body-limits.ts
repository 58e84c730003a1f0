import { bodyLimit } from 'hono/body-limit';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '@aoc/core';

/**
 * Reject request bodies over `maxBytes` with 413 (and `Connection: close`), counting the bytes actually
 * streamed (a lying or absent Content-Length does not get around it).
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of the body is never read: the connection cannot be reused for another request.
      c.header('Connection', 'close');
      throw new AppError('PAYLOAD_TOO_LARGE', `Request body larger than ${maxBytes} bytes`);
    },
  });
}
