import { createHmac, timingSafeEqual } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { ValidationError } from '../errors.js';

/** Where a page ended in the (timestamp desc, _id desc) order: the next page starts strictly after it. */
export interface CursorPosition {
  timestamp: Date;
  id: ObjectId;
}

/** Encodes and verifies the opaque `next_cursor` tokens of event lists. */
export interface CursorCodec {
  encode(position: CursorPosition): string;
  /** The position in a token, or a `ValidationError` when it is malformed, tampered with or signed by another key. */
  decode(token: string): CursorPosition;
}

const VERSION = '1';
const TAG_BYTES = 16;

function invalid(): ValidationError {
  return new ValidationError('cursor: invalid or tampered cursor; start again from the first page', {
    details: [{ path: 'cursor', message: 'invalid or tampered cursor' }],
  });
}

/**
 * Cursor tokens are `base64url(payload).base64url(hmac)`: the payload holds the last event's timestamp and
 * `_id`, the HMAC-SHA256 tag (truncated to 128 bits) makes them tamper-evident, so a client can neither forge
 * positions nor smuggle anything into the query. The key is per database (see `loadOrCreateSecret`), so a
 * cursor from one replica works on every other.
 */
export function createCursorCodec(key: Uint8Array): CursorCodec {
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, TAG_BYTES);
  return {
    encode({ timestamp, id }) {
      const payload = `${VERSION}:${timestamp.getTime()}:${id.toHexString()}`;
      return `${Buffer.from(payload).toString('base64url')}.${sign(payload).toString('base64url')}`;
    },
    decode(token) {
      const [body, tag, extra] = token.split('.');
      if (!body || !tag || extra !== undefined) throw invalid();
      const payload = Buffer.from(body, 'base64url').toString('utf8');
      const given = Buffer.from(tag, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const match = /^1:(-?\d{1,16}):([0-9a-f]{24})$/.exec(payload);
      if (!match) throw invalid();
      const timestamp = new Date(Number(match[1]));
      if (Number.isNaN(timestamp.getTime())) throw invalid();
      return { timestamp, id: new ObjectId(match[2]) };
    },
  };
}
