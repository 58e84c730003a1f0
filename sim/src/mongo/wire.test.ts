import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  decodeDocument,
  decodeMessage,
  encodeReply,
  frameLength,
  MalformedMessageError,
  OP_MSG,
} from './wire.js';

function opMsg(flags: number, body: object, sequence?: { id: string; docs: object[] }): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  if (sequence) {
    const docs = Buffer.concat(sequence.docs.map((d) => Buffer.from(BSON.serialize(d))));
    const id = Buffer.from(`${sequence.id}\0`);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.length);
    parts.push(Buffer.from([1]), size, id, docs);
  }
  const payload = Buffer.concat(parts);
  const head = Buffer.alloc(20);
  head.writeInt32LE(20 + payload.length, 0);
  head.writeInt32LE(7, 4);
  head.writeInt32LE(OP_MSG, 12);
  head.writeUInt32LE(flags, 16);
  return Buffer.concat([head, payload]);
}

describe('wire', () => {
  it('folds document sequences into the command and reads moreToCome', () => {
    const frame = opMsg(2, { insert: 'c', $db: 'd' }, { id: 'documents', docs: [{ a: 1 }, { a: 2 }] });
    expect(frameLength(frame, 1 << 20)).toBe(frame.length);
    const request = decodeMessage(frame);
    expect(request).toMatchObject({
      db: 'd',
      moreToCome: true,
      requestId: 7,
      command: { insert: 'c', documents: [{ a: 1 }, { a: 2 }] },
    });
  });

  it('leaves write statements as BSON with lazySequences, other sequences decoded', () => {
    const updates = [{ q: { a: 1 }, u: { $set: { b: /x/s } } }];
    const lazy = decodeMessage(opMsg(0, { update: 'c', $db: 'd' }, { id: 'updates', docs: updates }), {
      lazySequences: true,
    }).command.updates as Buffer[];
    expect(lazy.every((b) => Buffer.isBuffer(b))).toBe(true);
    expect(lazy.map(decodeDocument)).toEqual(
      decodeMessage(opMsg(0, { update: 'c', $db: 'd' }, { id: 'updates', docs: updates })).command.updates,
    );
    expect(
      decodeMessage(opMsg(0, { x: 'c', $db: 'd' }, { id: 'other', docs: [{ a: 1 }] }), {
        lazySequences: true,
      }).command.other,
    ).toEqual([{ a: 1 }]);
    const bad = opMsg(0, { insert: 'c', $db: 'd' }, { id: 'documents', docs: [{ a: 1 }] });
    bad.writeInt32LE(4, bad.length - 12);
    expect(() => decodeMessage(bad, { lazySequences: true })).toThrow(MalformedMessageError);
  });

  it('waits for a complete frame and rejects impossible lengths', () => {
    const frame = opMsg(0, { ping: 1 });
    expect(frameLength(frame.subarray(0, 10), 1 << 20)).toBeUndefined();
    const bad = Buffer.alloc(16);
    bad.writeInt32LE(3, 0);
    expect(() => frameLength(bad, 1 << 20)).toThrow(MalformedMessageError);
  });

  it('rejects unknown opcodes and section kinds', () => {
    const frame = opMsg(0, { ping: 1 });
    frame.writeInt32LE(9999, 12);
    expect(() => decodeMessage(frame)).toThrow(MalformedMessageError);
    const kinds = opMsg(0, { ping: 1 });
    kinds.writeUInt8(5, 20);
    expect(() => decodeMessage(kinds)).toThrow(MalformedMessageError);
  });

  it('answers OP_MSG with OP_MSG, responseTo set', () => {
    const request = decodeMessage(opMsg(0, { ping: 1, $db: 'admin' }));
    const reply = encodeReply(request, { ok: 1 });
    expect(reply.readInt32LE(0)).toBe(reply.length);
    expect(reply.readInt32LE(8)).toBe(7);
    expect(reply.readInt32LE(12)).toBe(OP_MSG);
    expect(BSON.deserialize(reply.subarray(21))).toEqual({ ok: 1 });
  });
});
