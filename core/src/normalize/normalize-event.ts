import type { ContentType, NormalizedEvent, Source } from '../events/model.js';
import type { Mappings } from '../mappings/schema.js';
import type { TemplateScope } from '../mappings/template.js';
import { dedupeKey } from './dedupe-key.js';
import { isDiagnosticEnvelope, parseDiagnosticEnvelope } from './diagnostic-envelope.js';
import { isDirectoryAudit, parseDirectoryAudit } from './graph-directory.js';
import { isIntuneAuditEvent, parseIntuneAuditEvent } from './graph-intune.js';
import { isManagementActivity, parseManagementActivity } from './management-activity.js';
import type { ParsedRecord } from './parsed-record.js';
import { buildSearchTerms } from './search-terms.js';
import { parseUnknownShape } from './unknown-shape.js';
import type { JsonObject } from './values.js';
import { asObject, isObject } from './values.js';

/** What `normalizeEvent` needs besides the record. */
export interface NormalizeContext {
  mappings: Mappings;
  /** Object id → display name resolved by enrichment; wins over raw ids (never over a name the record has). */
  names?: ReadonlyMap<string, string>;
  /** The Management Activity content type the record was fetched under; inferred from the record when absent. */
  contentType?: ContentType;
  /** Stands in for the timestamp of a record that has none (the event is then flagged `unknown_shape`). */
  receivedAt?: Date;
}

// Past this size `raw_text` is cut: the stored document must stay far below MongoDB's 16 MB limit.
const MAX_RAW_TEXT = 256 * 1024;

interface Parse {
  parsed: ParsedRecord;
  /** Whose labels and templates apply: the family the record's shape belongs to. */
  family: Source;
}

function parse(raw: JsonObject, source: Source, ctx: NormalizeContext): Parse {
  if (isDiagnosticEnvelope(raw)) {
    const inner = asObject(raw['properties']);
    const family = inner !== undefined && isDirectoryAudit(inner) ? 'directory' : 'intune';
    return { parsed: parseDiagnosticEnvelope(raw, ctx.names), family };
  }
  if (isManagementActivity(raw))
    return { parsed: parseManagementActivity(raw, ctx.names, ctx.contentType), family: 'unified' };
  if (isDirectoryAudit(raw)) return { parsed: parseDirectoryAudit(raw, ctx.names), family: 'directory' };
  if (isIntuneAuditEvent(raw)) return { parsed: parseIntuneAuditEvent(raw, ctx.names), family: 'intune' };
  return { parsed: parseUnknownShape(raw), family: source };
}

function stringify(raw: JsonObject): string {
  try {
    const json = JSON.stringify(raw);
    return json.length > MAX_RAW_TEXT ? json.slice(0, MAX_RAW_TEXT) : json;
  } catch {
    // Circular or BigInt values cannot come from JSON, but a caller's object might carry them.
    return '';
  }
}

/**
 * Turns one raw record of any source into the stored event shape: Graph directory audits, Graph Intune
 * audit events, every Management Activity content type, and their Azure Monitor diagnostic envelopes.
 * Never throws: a record of unknown shape is normalized best-effort, keeps its raw body and carries
 * `unknown_shape: true`. Pure and fast (one `JSON.stringify` per record), so it can re-run over stored events.
 */
export function normalizeEvent(
  raw: Record<string, unknown>,
  source: Source,
  ctx: NormalizeContext,
): NormalizedEvent {
  // Callers type the record, but what arrives from an API is whatever JSON it sent.
  const record: JsonObject = isObject(raw) ? raw : { value: raw };
  let result: Parse;
  try {
    result = parse(record, source, ctx);
  } catch {
    // A parser tripping over a shape it half-recognized must not lose the record.
    result = { parsed: parseUnknownShape(record), family: source };
  }
  const { parsed, family } = result;
  const { mappings } = ctx;
  const service = mappings.serviceLabel(family, parsed.serviceKey);
  const operation = parsed.operation ?? 'Unknown operation';
  const actorDisplay = parsed.actorDisplay ?? (parsed.known ? 'System' : 'Unknown');
  const resultLabel = mappings.resultLabel(parsed.result);
  const targetDisplays: string[] = [];
  const targetTypes: (string | undefined)[] = [];
  for (const target of parsed.targets) {
    if (target.display === undefined || targetDisplays.includes(target.display)) continue;
    targetDisplays.push(target.display);
    targetTypes.push(target.type);
  }
  const scope: TemplateScope = {
    actor: actorDisplay,
    operation,
    result: resultLabel,
    service,
    source,
    targets: targetDisplays,
    targetTypes,
    changed: parsed.changed,
    params: parsed.params,
    raw: record,
  };
  const summary = mappings.summaryTemplate(family, operation).render(scope) || operation;
  const rawText = stringify(record);
  const key = dedupeKey(source, parsed, rawText);
  const event: NormalizedEvent = {
    id: parsed.id ?? key,
    source,
    timestamp: parsed.timestamp ?? ctx.receivedAt ?? new Date(),
    service,
    operation,
    result: resultLabel,
    actor_display: actorDisplay,
    target_displays: targetDisplays,
    display_summary: summary,
    dedupe_key: key,
    actor: parsed.actor,
    targets: parsed.targets.map((t) => t.value),
    raw: record,
    raw_text: rawText,
    search_terms: buildSearchTerms(
      [service, operation, resultLabel, actorDisplay, ...targetDisplays, summary],
      record,
    ),
  };
  if (parsed.contentType !== undefined) event.content_type = parsed.contentType;
  if (!parsed.known || parsed.timestamp === undefined) event.unknown_shape = true;
  return event;
}
