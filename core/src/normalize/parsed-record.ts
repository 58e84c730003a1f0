import type { ContentType } from '../events/model.js';
import type { JsonObject } from './values.js';
import { asArray, asObject, text } from './values.js';

/** One object a record acted on, as a source parser read it. */
export interface ParsedTarget {
  /** What to show; undefined when the source gave nothing readable (the target is still stored). */
  display: string | undefined;
  type: string | undefined;
  id: string | undefined;
  /** Stored in the event's `targets[]`. */
  value: JsonObject;
}

/** What a source parser extracts from one raw record, before labels, templates and search terms. */
export interface ParsedRecord {
  id: string | undefined;
  /** The timestamp as the source wrote it: part of the fallback dedupe hash, so it must not be reformatted. */
  timestampText: string | undefined;
  timestamp: Date | undefined;
  /** Raw category, workload or `DLP` that the mappings turn into the service label. */
  serviceKey: string | undefined;
  operation: string | undefined;
  result: string | undefined;
  actor: JsonObject;
  actorDisplay: string | undefined;
  targets: ParsedTarget[];
  /** Names of the properties the action changed. */
  changed: string[];
  /** Exchange cmdlet parameters by lower-cased name. */
  params?: ReadonlyMap<string, string>;
  contentType?: ContentType;
  /** Extra part of the dedupe key for sources that reuse one id for different records. */
  dedupeQualifier?: string;
  /** False when the record did not have the shape its parser expects; fields are then best-effort. */
  known: boolean;
}

/** Property-change entries that are bookkeeping rather than a change a reader cares about. */
function isBookkeeping(name: string): boolean {
  return name === 'Included Updated Properties' || name.startsWith('TargetId.');
}

/** Names of changed properties from a `modifiedProperties`-like list, under the given name key. */
export function changedNames(list: unknown, nameKey: string, into: string[] = []): string[] {
  for (const entry of asArray(list)) {
    const name = text(asObject(entry)?.[nameKey]);
    if (name !== undefined && !isBookkeeping(name) && !into.includes(name)) into.push(name);
  }
  return into;
}

/** What a Management Activity content-type reader adds to the fields every record of that API shares. */
export interface ContentParts {
  targets: ParsedTarget[];
  changed: string[];
  params?: ReadonlyMap<string, string>;
  /** Overrides the common actor (e.g. the sender of a message a DLP rule matched). */
  actorDisplay?: string;
}
