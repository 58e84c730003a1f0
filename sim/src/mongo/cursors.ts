import { BSON, Long, type Document } from 'bson';
import { CommandError } from './errors.js';

/** Upper bound of one reply batch, below the 16 MiB document limit so the reply envelope fits. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
/** Documents in a first batch when the client names no batchSize, as on the server. */
export const DEFAULT_FIRST_BATCH = 101;
const SHAPE_SLICE = 1000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  /** Applied to each batch on its way out (a find projection). */
  shape: (docs: Document[]) => Document[];
  lastUsed: number;
}

/** Server-side cursors of one sim server, each holding the rest of a result set. */
export class CursorRegistry {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = 1;

  /**
   * Returns a `{cursor: {id, ns, firstBatch}}` reply, keeping a cursor open when results remain (and the
   * client did not ask for a single batch).
   */
  first(
    ns: string,
    docs: Document[],
    options: { batchSize?: number; singleBatch?: boolean; shape?: (docs: Document[]) => Document[] },
  ): Document {
    const cursor: OpenCursor = {
      ns,
      docs,
      position: 0,
      shape: options.shape ?? ((d) => d),
      lastUsed: Date.now(),
    };
    const batch = this.take(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (cursor.position < docs.length && options.singleBatch !== true) {
      id = Long.fromNumber(this.nextId++);
      this.open.set(id.toString(), cursor);
    }
    return { cursor: { firstBatch: batch, id, ns }, ok: 1 };
  }

  /** Answers getMore: the next batch, closing the cursor once exhausted. */
  more(id: Long | number, batchSize: number | undefined): Document {
    const key = id.toString();
    const cursor = this.open.get(key);
    if (!cursor) throw new CommandError('CursorNotFound', `cursor id ${key} not found`);
    cursor.lastUsed = Date.now();
    const batch = this.take(cursor, batchSize ?? 0);
    const done = cursor.position >= cursor.docs.length;
    if (done) this.open.delete(key);
    return {
      cursor: { nextBatch: batch, id: done ? Long.ZERO : Long.fromString(key), ns: cursor.ns },
      ok: 1,
    };
  }

  /** Closes cursors; answers as killCursors does. */
  kill(ids: Array<Long | number>): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const long = typeof id === 'number' ? Long.fromNumber(id) : id;
      (this.open.delete(long.toString()) ? killed : notFound).push(long);
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  /** Closes cursors unused for `idleMs`, as the server's cursor timeout (10 minutes by default) does. */
  expireIdle(now: number, idleMs: number): void {
    for (const [id, cursor] of this.open) if (now - cursor.lastUsed > idleMs) this.open.delete(id);
  }

  clear(): void {
    this.open.clear();
  }

  private take(cursor: OpenCursor, batchSize: number): Document[] {
    const limit = batchSize > 0 ? batchSize : Number.POSITIVE_INFINITY;
    const out: Document[] = [];
    let bytes = 0;
    while (cursor.position < cursor.docs.length && out.length < limit) {
      // Shape in slices: a projection compiles once per call, not once per document.
      const count = Math.min(SHAPE_SLICE, limit - out.length, cursor.docs.length - cursor.position);
      const shaped = cursor.shape(cursor.docs.slice(cursor.position, cursor.position + count));
      for (const doc of shaped) {
        const size = BSON.calculateObjectSize(doc);
        if (out.length > 0 && bytes + size > MAX_BATCH_BYTES) return out;
        out.push(doc);
        bytes += size;
        cursor.position++;
      }
    }
    return out;
  }
}
