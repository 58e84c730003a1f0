import { randomBytes } from 'node:crypto';
import type { ApiEvent } from '../events/to-api.js';
import { extractChanges } from './changes.js';

/**
 * How event content reaches the model: as data, never as instructions. Each event is one JSON line (so no text
 * inside it can start a line of its own), the block is fenced by markers carrying a random nonce (so content
 * cannot forge the closing marker), and only the fields of the selected events are sent — never settings,
 * never other events.
 */

const MAX_FIELD = 500;
const MAX_TARGETS = 10;
const ASK_CHANGES = 5;

function cut(text: string, max = MAX_FIELD): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The fenced-data markers of one request. */
export interface DataFence {
  open: string;
  close: string;
}

/** Fresh markers for one request (`<<<DATA 3f9a…>>>` … `<<<END DATA 3f9a…>>>`). */
export function createFence(): DataFence {
  const nonce = randomBytes(8).toString('hex');
  return { open: `<<<DATA ${nonce}>>>`, close: `<<<END DATA ${nonce}>>>` };
}

/** Wrap data lines in the fence; a line that somehow contains a marker has it neutralized. */
export function fenced(fence: DataFence, lines: string[]): string {
  const safe = lines.map((line) =>
    line.split(fence.open).join('[marker]').split(fence.close).join('[marker]'),
  );
  return [fence.open, ...safe, fence.close].join('\n');
}

/** An event as one compact JSON line for a question: the fields an answer needs and up to 5 changes. */
export function eventLine(event: ApiEvent): string {
  const changes = extractChanges(event.raw).slice(0, ASK_CHANGES);
  return JSON.stringify({
    _id: event._id,
    time: event.timestamp,
    service: cut(event.service),
    operation: cut(event.operation),
    result: cut(event.result),
    actor: cut(event.actor_display),
    targets: event.target_displays.slice(0, MAX_TARGETS).map((target) => cut(target, 200)),
    summary: cut(event.display_summary),
    ...(changes.length > 0 ? { changes } : {}),
  });
}

const MAX_RAW = 6000;

/** An event in full for an explanation: its fields, every logged change, and the raw record (cut at 6,000 characters). */
export function explainLines(event: ApiEvent): string[] {
  const raw = JSON.stringify(event.raw);
  return [
    JSON.stringify({
      _id: event._id,
      time: event.timestamp,
      source: event.source,
      service: event.service,
      operation: event.operation,
      result: event.result,
      actor: event.actor_display,
      targets: event.target_displays.slice(0, MAX_TARGETS),
      summary: cut(event.display_summary),
      changes: extractChanges(event.raw),
    }),
    `raw record: ${cut(raw, MAX_RAW)}`,
  ];
}
