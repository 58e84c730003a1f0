import { onDemand, type Document, type ObjectId } from 'bson';
import { decodeDocument } from './wire.js';

const TYPE_DOCUMENT = 3;
const TYPE_OBJECT_ID = 7;
const OBJECT_ID_ELEMENT = 1 + 4 + 12; // type byte, "_id\0", 12 bytes

/** One top-level element of a BSON document, located in `bytes` (which it does not copy). */
export interface RawElement {
  name: string;
  type: number;
  bytes: Buffer;
  /** Where the element (type byte, name, value) starts and ends in `bytes`. */
  start: number;
  /** Where the value starts. */
  valueStart: number;
  end: number;
}

/** The top-level elements of a BSON document (or of an embedded one at `offset`), in order, undecoded. */
export function rawElements(bytes: Buffer, offset = 0): RawElement[] {
  const out: RawElement[] = [];
  for (const [type, nameOffset, nameLength, at, length] of onDemand.parseToElements(bytes, offset)) {
    out.push({
      name: bytes.toString('utf8', nameOffset, nameOffset + nameLength),
      type,
      bytes,
      start: nameOffset - 1,
      valueStart: at,
      end: at + length,
    });
  }
  return out;
}

/** The elements of an embedded document element, or undefined when `element` holds something else. */
export function embeddedElements(element: RawElement): RawElement[] | undefined {
  if (element.type !== TYPE_DOCUMENT) return undefined;
  return rawElements(element.bytes, element.valueStart);
}

/** Bytes of the BSON document made of `elements` (see {@link writeDocument}). */
export function documentSize(elements: readonly RawElement[]): number {
  let size = 5;
  for (const e of elements) size += e.end - e.start;
  return size;
}

/**
 * Writes the BSON document made of `elements`, in order, into `out` (exactly {@link documentSize} bytes).
 * Elements that lie next to each other in one source are copied as one range.
 */
export function writeDocument(elements: readonly RawElement[], out: Buffer): Buffer {
  out.writeInt32LE(out.length, 0);
  let at = 4;
  let i = 0;
  while (i < elements.length) {
    const first = elements[i] as RawElement;
    let end = first.end;
    for (i++; i < elements.length; i++) {
      const next = elements[i] as RawElement;
      if (next.bytes !== first.bytes || next.start !== end) break;
      end = next.end;
    }
    out.set(first.bytes.subarray(first.start, end), at);
    at += end - first.start;
  }
  out[at] = 0;
  return out;
}

/** A new BSON document made of `elements` in order (bytes copied, names as they are). */
function assembleDocument(elements: readonly RawElement[]): Buffer {
  return writeDocument(elements, Buffer.allocUnsafe(documentSize(elements)));
}

/** Deserializes only `elements`, as a document of those fields (as every command sees values). */
export function decodeElements(elements: readonly RawElement[]): Document {
  return decodeDocument(assembleDocument(elements));
}

/** An `_id` element holding `id`. */
export function objectIdElement(id: ObjectId): RawElement {
  const bytes = Buffer.allocUnsafe(OBJECT_ID_ELEMENT);
  bytes[0] = TYPE_OBJECT_ID;
  bytes.write('_id\u0000', 1, 'latin1');
  bytes.set(id.id, 5);
  return { name: '_id', type: TYPE_OBJECT_ID, bytes, start: 0, valueStart: 5, end: OBJECT_ID_ELEMENT };
}
