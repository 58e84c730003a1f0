import { z } from 'zod';
import type { ApiEvent } from '@aoc/core';

/**
 * An event in a list: everything but the raw record (`raw`, `raw_text`), which `get_event` returns. Lists of
 * full records would spend a model's context on vendor payloads it rarely needs.
 */
export type EventListItem = Omit<ApiEvent, 'raw' | 'raw_text'>;

export function toListItem(event: ApiEvent): EventListItem {
  const { raw: _raw, raw_text: _rawText, ...rest } = event;
  return rest;
}

/** The output schema of an event: the fields a client can rely on, the rest passed through as stored. */
export const EventShape = z.looseObject({
  _id: z.string().describe('The id get_event takes.'),
  timestamp: z.string().describe('When it happened (ISO 8601, UTC).'),
  source: z.string(),
  service: z.string().nullish(),
  operation: z.string().nullish(),
  result: z.string().nullish(),
  actor_display: z.string().nullish(),
  target_displays: z.array(z.string()).nullish(),
  display_summary: z.string().nullish(),
  tags: z.array(z.string()),
});

/** One readable line (plus the summary) per event, for the text part. */
export function eventLine(event: EventListItem): string {
  const targets = event.target_displays?.length ? ` → ${event.target_displays.join(', ')}` : '';
  const head = `- ${event.timestamp} | ${event.service} | ${event.operation} | ${event.result} | ${event.actor_display}${targets} | id ${event._id}`;
  const tags = event.tags.length > 0 ? ` [tags: ${event.tags.join(', ')}]` : '';
  return event.display_summary ? `${head}${tags}\n  ${event.display_summary}` : `${head}${tags}`;
}
