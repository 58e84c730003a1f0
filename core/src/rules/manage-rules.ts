import { ObjectId } from 'mongodb';
import { NotFoundError, ValidationError, isAppError } from '../errors.js';
import { parseInput } from '../events/schemas.js';
import type { RulesContext } from './context.js';
import { RecordId, RuleInput } from './schemas.js';
import { rulesCollection } from './store.js';
import type { RuleDocument } from './store.js';
import { toApiRule } from './to-api.js';
import type { ApiRule } from './to-api.js';

/** Parse a rule and check its webhook URL against the outbound guard, as a 400 naming `webhook_url`. */
export function parseRule(ctx: RulesContext, input: unknown): RuleInput {
  const rule = parseInput(RuleInput, input);
  if (rule.webhook_url !== null) {
    try {
      ctx.checkWebhookUrl(rule.webhook_url);
    } catch (error) {
      const message = isAppError(error) ? error.message : String(error);
      throw new ValidationError(`Invalid input: webhook_url: ${message}`, {
        details: [{ path: 'webhook_url', message }],
        cause: error,
      });
    }
  }
  return rule;
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No rule with id "${id}"`, { details: { id } });
}

/** Every rule, by name. */
export async function listRules(ctx: RulesContext): Promise<ApiRule[]> {
  const docs = await rulesCollection(ctx.db).find({}).sort({ name: 1, _id: 1 }).toArray();
  return docs.map(toApiRule);
}

export async function createRule(ctx: RulesContext, input: unknown): Promise<ApiRule> {
  const rule = parseRule(ctx, input);
  const now = ctx.clock();
  const doc: RuleDocument = { _id: new ObjectId(), ...rule, created_at: now, updated_at: now };
  await rulesCollection(ctx.db).insertOne(doc);
  return toApiRule(doc);
}

/** Replace a rule (all fields); its alerts keep pointing at it. */
export async function updateRule(ctx: RulesContext, rawId: unknown, input: unknown): Promise<ApiRule> {
  const id = parseInput(RecordId, rawId);
  const rule = parseRule(ctx, input);
  const updated = await rulesCollection(ctx.db).findOneAndUpdate(
    { _id: new ObjectId(id) },
    { $set: { ...rule, updated_at: ctx.clock() } },
    { returnDocument: 'after' },
  );
  if (!updated) throw notFound(id);
  return toApiRule(updated);
}

/** Delete a rule; its alerts stay (they record what happened). */
export async function deleteRule(ctx: RulesContext, rawId: unknown): Promise<{ deleted: true; id: string }> {
  const id = parseInput(RecordId, rawId);
  const result = await rulesCollection(ctx.db).deleteOne({ _id: new ObjectId(id) });
  if (result.deletedCount === 0) throw notFound(id);
  return { deleted: true, id };
}
