import type { Document } from 'bson';
import { cloneValue, isPlainDocument, normalizeFilter } from '../bson-values.js';
import { CommandError, toCommandError } from '../errors.js';
import { compileFilter } from '../matcher.js';
import { matchDocuments } from '../planner.js';
import { createAggregator } from '../mingo-context.js';
import type { CommandContext, CommandHandler } from './context.js';
import { checkHint } from './read.js';

const STAGES = new Set([
  '$addFields',
  '$bucket',
  '$bucketAuto',
  '$count',
  '$densify',
  '$documents',
  '$facet',
  '$fill',
  '$graphLookup',
  '$group',
  '$limit',
  '$lookup',
  '$match',
  '$project',
  '$redact',
  '$replaceRoot',
  '$replaceWith',
  '$sample',
  '$set',
  '$setWindowFields',
  '$skip',
  '$sort',
  '$sortByCount',
  '$unionWith',
  '$unset',
  '$unwind',
]);
// Stages that build new documents without writing into their input ones; any other stage gets copies.
const NON_MUTATING = new Set([
  '$match',
  '$group',
  '$sort',
  '$limit',
  '$skip',
  '$count',
  '$project',
  '$bucket',
  '$bucketAuto',
  '$sortByCount',
  '$unwind',
  '$facet',
  '$unset',
  '$lookup',
]);

function validatePipeline(pipeline: unknown, nested = false): Document[] {
  if (!Array.isArray(pipeline))
    throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  return pipeline.map((stage: unknown) => {
    if (!isPlainDocument(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError(
        'Location40324',
        'A pipeline stage specification object must contain exactly one field.',
      );
    }
    const name = Object.keys(stage)[0] as string;
    if (name === '$out' || name === '$merge') {
      throw new CommandError(
        'IllegalOperation',
        `${name} is not supported by the sim (it writes to a collection); see sim/README.md`,
      );
    }
    if (!STAGES.has(name))
      throw new CommandError('Location40324', `Unrecognized pipeline stage name: '${name}'`);
    if (name === '$facet' && isPlainDocument(stage.$facet)) {
      for (const sub of Object.values(stage.$facet)) validatePipeline(sub, true);
    }
    if (nested && name === '$facet')
      throw new CommandError('Location40324', '$facet is not allowed to be used within a $facet stage');
    return stage;
  });
}

function mutates(pipeline: Document[]): boolean {
  return pipeline.some((stage) => {
    const name = Object.keys(stage)[0] as string;
    if (name === '$facet')
      return Object.values(stage.$facet as Document).some((sub) => mutates(sub as Document[]));
    return !NON_MUTATING.has(name);
  });
}

/** Runs an aggregation pipeline over a collection's documents (or none for `aggregate: 1`). */
export async function runPipeline(
  ctx: CommandContext,
  collection: string | undefined,
  rawPipeline: unknown,
): Promise<Document[]> {
  const pipeline = validatePipeline(rawPipeline);
  let source: Document[] = [];
  let rest = pipeline;
  const coll = collection === undefined ? undefined : ctx.catalog.get(ctx.db, collection);
  if (coll) {
    const first = pipeline[0];
    if (first && isPlainDocument(first.$match)) {
      // A leading $match uses the sim's planner: unique-index lookups and a scan that yields.
      const filter = first.$match;
      source = (await matchDocuments(coll, filter, compileFilter(filter))).map(([, d]) => d);
      rest = pipeline.slice(1);
    } else {
      source = coll.snapshot().map(([, d]) => d);
    }
  }
  if (mutates(rest)) source = source.map(cloneValue);
  try {
    const aggregator = createAggregator(normalizeFilter(rest), (name) =>
      (ctx.catalog.get(ctx.db, name)?.snapshot() ?? []).map(([, d]) => cloneValue(d)),
    );
    return aggregator.run(source);
  } catch (error) {
    throw toCommandError(error);
  }
}

/** The aggregate command, replying with a cursor. */
export const aggregateCommands: Record<string, CommandHandler> = {
  aggregate: async (cmd, ctx) => {
    const target: unknown = cmd.aggregate;
    if (target !== 1 && typeof target !== 'string') {
      throw new CommandError(
        'FailedToParse',
        'Invalid {aggregate: ...} value: must be a collection name or 1',
      );
    }
    if (cmd.explain === true)
      throw new CommandError(
        'IllegalOperation',
        'explain of aggregate is not supported by the sim; see sim/README.md',
      );
    if (!isPlainDocument(cmd.cursor)) {
      throw new CommandError(
        'FailedToParse',
        "The 'cursor' option is required, except for aggregate with the explain argument",
      );
    }
    if (typeof target === 'string') checkHint(ctx, target, cmd.hint);
    const docs = await runPipeline(ctx, typeof target === 'string' ? target : undefined, cmd.pipeline);
    const batchSize = typeof cmd.cursor.batchSize === 'number' ? cmd.cursor.batchSize : undefined;
    const ns = typeof target === 'string' ? `${ctx.db}.${target}` : `${ctx.db}.$cmd.aggregate`;
    return ctx.cursors.first(ns, docs, { ...(batchSize === undefined ? {} : { batchSize }) });
  },
};
