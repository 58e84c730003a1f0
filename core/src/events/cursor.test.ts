import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { createCursorCodec } from './cursor.js';

const key = Buffer.alloc(32, 7);
const codec = createCursorCodec(key);
const position = {
  timestamp: new Date('2024-05-01T10:00:00.123Z'),
  id: new ObjectId('65f1a2b3c4d5e6f7a8b9c0d1'),
};

describe('cursor codec', () => {
  it('round-trips a position through an opaque token', () => {
    const token = codec.encode(position);
    expect(token).not.toContain('65f1a2b3');
    const decoded = codec.decode(token);
    expect(decoded.timestamp.toISOString()).toBe('2024-05-01T10:00:00.123Z');
    expect(decoded.id.toHexString()).toBe('65f1a2b3c4d5e6f7a8b9c0d1');
  });

  it('refuses a token whose payload was altered', () => {
    const [body, tag] = codec.encode(position).split('.');
    const forged = Buffer.from('1:9999999999999:65f1a2b3c4d5e6f7a8b9c0d1').toString('base64url');
    expect(() => codec.decode(`${forged}.${tag}`)).toThrow(/invalid or tampered cursor/);
    expect(() => codec.decode(`${body}.${tag!.slice(0, -2)}AA`)).toThrow(/invalid or tampered/);
  });

  it('refuses tokens signed with another key and malformed tokens', () => {
    const other = createCursorCodec(Buffer.alloc(32, 8)).encode(position);
    for (const bad of [other, '', 'abc', 'a.b.c', '..', '{"$gt":""}']) {
      expect(() => codec.decode(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    }
  });
});
