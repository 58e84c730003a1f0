import { BSON, type Document } from 'bson';

/** Opcodes of the MongoDB wire protocol this server speaks. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const OP_COMPRESSED = 2012;

const HEADER_SIZE = 16;
const FLAG_CHECKSUM_PRESENT = 1;
const FLAG_MORE_TO_COME = 2;

// Regexes stay BSONRegExp on the way in: the default conversion maps the `s` option to JS `g` and drops `x`.
const DESERIALIZE = { bsonRegExp: true, validation: { utf8: false } } as const;

/** One decoded client message: the command document with OP_MSG document sequences folded in. */
export interface WireRequest {
  requestId: number;
  opCode: typeof OP_QUERY | typeof OP_MSG;
  /** For OP_QUERY, the database from `<db>.$cmd`; for OP_MSG it is read from `$db`. */
  db: string;
  command: Document;
  /** The client asked for no reply (OP_MSG flag `moreToCome`). */
  moreToCome: boolean;
}

/** Raised for frames the server cannot understand; the connection that sent them is closed. */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

/** Length of the next complete message at the start of `buffer`, or undefined when more bytes are needed. */
export function frameLength(buffer: Buffer, maxSize: number): number | undefined {
  if (buffer.length < 4) return undefined;
  const length = buffer.readInt32LE(0);
  if (length < HEADER_SIZE || length > maxSize)
    throw new MalformedMessageError(`bad message length ${length}`);
  return buffer.length >= length ? length : undefined;
}

function readCString(buffer: Buffer, offset: number): [string, number] {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new MalformedMessageError('unterminated cstring');
  return [buffer.toString('utf8', offset, end), end + 1];
}

function documentBytes(buffer: Buffer, offset: number, limit: number): Buffer {
  if (offset + 5 > limit) throw new MalformedMessageError('truncated document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > limit) throw new MalformedMessageError('bad document size');
  return buffer.subarray(offset, offset + size);
}

function readDocument(buffer: Buffer, offset: number, limit: number): [Document, number] {
  const bytes = documentBytes(buffer, offset, limit);
  return [decodeDocument(bytes), offset + bytes.length];
}

/** Deserializes one BSON document as every command sees it (regexes kept as BSONRegExp). */
export function decodeDocument(bytes: Uint8Array): Document {
  return BSON.deserialize(bytes, DESERIALIZE);
}

/**
 * The statement lists of the write commands. With `lazySequences` they stay BSON until each statement runs:
 * a bulk write of large documents then never lives in memory as objects all at once, so the garbage
 * collector does not copy a whole batch around while it is processed.
 */
const STATEMENT_SEQUENCES = new Set(['documents', 'updates', 'deletes']);

/** Options of {@link decodeMessage}. */
export interface DecodeOptions {
  /** Leave write statements from document sequences as BSON buffers, for {@link decodeDocument}. */
  lazySequences?: boolean;
}

/** Decodes one complete frame (as delimited by {@link frameLength}). */
export function decodeMessage(frame: Buffer, options: DecodeOptions = {}): WireRequest {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_QUERY) return decodeQuery(frame, requestId);
  if (opCode === OP_MSG) return decodeMsg(frame, requestId, options.lazySequences === true);
  throw new MalformedMessageError(`unsupported opCode ${opCode}`);
}

function decodeQuery(frame: Buffer, requestId: number): WireRequest {
  const [collection, afterName] = readCString(frame, HEADER_SIZE + 4);
  const [query] = readDocument(frame, afterName + 8, frame.length);
  const dot = collection.indexOf('.');
  const db = dot < 0 ? collection : collection.slice(0, dot);
  // Legacy drivers wrap the command as {$query: {...}, $readPreference: ...}.
  const wrapped: unknown = query.$query;
  const command = wrapped && typeof wrapped === 'object' ? (wrapped as Document) : query;
  return { requestId, opCode: OP_QUERY, db, command, moreToCome: false };
}

function decodeMsg(frame: Buffer, requestId: number, lazy: boolean): WireRequest {
  const flags = frame.readUInt32LE(HEADER_SIZE);
  const end = flags & FLAG_CHECKSUM_PRESENT ? frame.length - 4 : frame.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Array<Document | Buffer>]> = [];
  while (offset < end) {
    const kind = frame.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      [body, offset] = readDocument(frame, offset, end);
    } else if (kind === 1) {
      const size = frame.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new MalformedMessageError('bad document sequence size');
      const [identifier, start] = readCString(frame, offset + 4);
      const raw = lazy && STATEMENT_SEQUENCES.has(identifier);
      const docs: Array<Document | Buffer> = [];
      let at = start;
      while (at < sectionEnd) {
        const bytes = documentBytes(frame, at, sectionEnd);
        docs.push(raw ? bytes : decodeDocument(bytes));
        at += bytes.length;
      }
      sequences.push([identifier, docs]);
      offset = sectionEnd;
    } else {
      throw new MalformedMessageError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new MalformedMessageError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) body[identifier] = docs;
  const db = typeof body.$db === 'string' ? body.$db : 'admin';
  return { requestId, opCode: OP_MSG, db, command: body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(HEADER_SIZE);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(0, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

/** Encodes the reply to `request` in the opcode the request used (OP_REPLY for OP_QUERY). */
export function encodeReply(request: WireRequest, reply: Document): Buffer {
  const body = BSON.serialize(reply);
  if (request.opCode === OP_QUERY) {
    const prefix = Buffer.alloc(20);
    prefix.writeInt32LE(8, 0); // AwaitCapable, as a server sets it
    prefix.writeBigInt64LE(0n, 4);
    prefix.writeInt32LE(0, 12);
    prefix.writeInt32LE(1, 16);
    const length = HEADER_SIZE + prefix.length + body.length;
    return Buffer.concat([header(length, request.requestId, OP_REPLY), prefix, body]);
  }
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32LE(0, 0);
  prefix.writeUInt8(0, 4);
  const length = HEADER_SIZE + prefix.length + body.length;
  return Buffer.concat([header(length, request.requestId, OP_MSG), prefix, body]);
}
