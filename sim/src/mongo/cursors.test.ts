import type { Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { CursorRegistry } from './cursors.js';

const docs = Array.from({ length: 5 }, (_, i) => ({ i }));

describe('CursorRegistry', () => {
  it('returns a first batch and keeps the rest for getMore, closing when exhausted', () => {
    const cursors = new CursorRegistry();
    const first = cursors.first('db.c', docs, { batchSize: 2 });
    const { id, firstBatch } = first.cursor as { id: Long; firstBatch: unknown[] };
    expect(firstBatch).toEqual([{ i: 0 }, { i: 1 }]);
    const more = cursors.more(id, undefined).cursor as { id: Long; nextBatch: unknown[] };
    expect(more.nextBatch).toHaveLength(3);
    expect(more.id.isZero()).toBe(true);
    expect(() => cursors.more(id, undefined)).toThrow(expect.objectContaining({ code: 43 }));
  });

  it('closes cursors idle past the timeout', () => {
    const cursors = new CursorRegistry();
    const { id } = cursors.first('db.c', docs, { batchSize: 1 }).cursor as { id: Long };
    cursors.expireIdle(Date.now() + 60_000, 10_000);
    expect(() => cursors.more(id, 1)).toThrow(expect.objectContaining({ code: 43 }));
  });

  it('shapes documents on their way out', () => {
    const cursors = new CursorRegistry();
    const reply = cursors.first('db.c', docs, {
      batchSize: 0,
      shape: (batch) => batch.map((d) => ({ j: d.i as number })),
    });
    expect((reply.cursor as { firstBatch: unknown[] }).firstBatch).toEqual(docs.map((d) => ({ j: d.i })));
  });
});
