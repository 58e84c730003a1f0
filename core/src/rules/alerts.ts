import { ObjectId } from 'mongodb';
import type { Filter } from 'mongodb';
import { NotFoundError, ValidationError } from '../errors.js';
import { escapeRegex } from '../events/escape-regex.js';
import { parseInput } from '../events/schemas.js';
import type { RulesContext } from './context.js';
import { ListAlertsInput, RecordId } from './schemas.js';
import { alertsCollection } from './store.js';
import type { AlertDocument } from './store.js';
import { apiAlerts } from './alert-views.js';
import type { ApiAlert } from './to-api.js';

/** One page of alerts, newest first, and the token of the next page (null on the last page). */
export interface AlertPage {
  items: ApiAlert[];
  next_cursor: string | null;
}

const CURSOR_PREFIX = 'a1.';

// Alerts are listed by `_id` alone (creation order, immutable), so the cursor is only a position: there is
// nothing in it to tamper with beyond skipping ahead, which any caller may do anyway.
function encodeCursor(id: ObjectId): string {
  return CURSOR_PREFIX + Buffer.from(id.toHexString(), 'hex').toString('base64url');
}

function decodeCursor(token: string): ObjectId {
  const hex = token.startsWith(CURSOR_PREFIX)
    ? Buffer.from(token.slice(CURSOR_PREFIX.length), 'base64url').toString('hex')
    : '';
  if (!/^[0-9a-f]{24}$/.test(hex)) {
    throw new ValidationError('cursor: invalid cursor; start again from the first page', {
      details: [{ path: 'cursor', message: 'invalid cursor' }],
    });
  }
  return new ObjectId(hex);
}

/**
 * Alerts matching the filters (rule, severities, open/acknowledged, actor — exact, case-insensitive), newest
 * first, `page_size` at a time (1..500, default 50) with an opaque `next_cursor`.
 */
export async function listAlerts(ctx: RulesContext, input: unknown): Promise<AlertPage> {
  const query = parseInput(ListAlertsInput, input ?? {});
  const filter: Filter<AlertDocument> = {};
  if (query.rule_id) filter.rule_id = new ObjectId(query.rule_id);
  if (query.severity) filter.severity = { $in: query.severity };
  if (query.status) filter.acknowledged = query.status === 'acknowledged';
  if (query.actor) filter.actor = new RegExp(`^${escapeRegex(query.actor)}$`, 'i');
  if (query.cursor) filter._id = { $lt: decodeCursor(query.cursor) };
  const docs = await alertsCollection(ctx.db)
    .find(filter)
    .sort({ _id: -1 })
    .limit(query.page_size + 1)
    .toArray();
  const page = docs.slice(0, query.page_size);
  const last = page.at(-1);
  return {
    items: await apiAlerts(ctx.db, page),
    next_cursor: docs.length > query.page_size && last ? encodeCursor(last._id) : null,
  };
}

/** Mark an alert acknowledged by `by` (idempotent: the first acknowledgement is kept). */
export async function acknowledgeAlert(ctx: RulesContext, rawId: unknown, by: string): Promise<ApiAlert> {
  const id = new ObjectId(parseInput(RecordId, rawId));
  const alerts = alertsCollection(ctx.db);
  await alerts.updateOne(
    { _id: id, acknowledged: false },
    { $set: { acknowledged: true, acknowledged_at: ctx.clock(), acknowledged_by: by.slice(0, 200) } },
  );
  const doc = await alerts.findOne({ _id: id });
  if (!doc) throw new NotFoundError(`No alert with id "${id.toHexString()}"`, { details: { id } });
  const [view] = await apiAlerts(ctx.db, [doc]);
  return view!;
}
