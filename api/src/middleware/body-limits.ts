import { bodyLimit } from 'hono/body-limit';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '@aoc/core';

/**
 * Reject request bodies over `maxBytes` with 413, counting the bytes actually streamed (a lying or absent
 * Content-Length does not get around it).
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', `Request body larger than ${maxBytes} bytes`);
    },
  });
}
