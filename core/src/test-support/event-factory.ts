import type { NormalizedEvent } from '../events/model.js';
import { buildSearchTerms } from '../normalize/search-terms.js';

let counter = 0;

/**
 * A normalized event for store and query tests, with `search_terms` built by the real tokenizer from its
 * fields and raw record, so text search behaves as it does on ingested data. Override any field; `raw`
 * extras are merged into the default raw record.
 */
export function makeEvent(
  overrides: Partial<NormalizedEvent> & { extraRaw?: Record<string, unknown> } = {},
): NormalizedEvent {
  counter += 1;
  const { extraRaw, ...fields } = overrides;
  const id = fields.id ?? `evt-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const base = {
    id,
    source: 'directory' as const,
    timestamp: new Date(Date.UTC(2024, 4, 1, 12, 0, 0) + counter * 1000),
    service: 'Core Directory',
    operation: 'Update user',
    result: 'success',
    actor_display: 'alice@contoso.com',
    target_displays: ['bob@contoso.com'],
    actor: { user: { userPrincipalName: fields.actor_display ?? 'alice@contoso.com' } },
    targets: [],
  };
  const event = { ...base, ...fields };
  const raw = fields.raw ?? {
    id,
    activityDisplayName: event.operation,
    category: event.service,
    ...extraRaw,
  };
  const summary =
    fields.display_summary ?? `${event.actor_display} ${event.operation} ${event.target_displays.join(', ')}`;
  return {
    ...event,
    display_summary: summary,
    dedupe_key: fields.dedupe_key ?? `${event.source}:${id}`,
    raw,
    raw_text: fields.raw_text ?? JSON.stringify(raw),
    search_terms:
      fields.search_terms ??
      buildSearchTerms(
        [
          event.service,
          event.operation,
          event.result,
          event.actor_display,
          ...event.target_displays,
          summary,
        ],
        raw,
      ),
  };
}
