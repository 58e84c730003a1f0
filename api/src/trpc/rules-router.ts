import { z } from 'zod';
import { ListAlertsInput, PreviewInput, RecordId, RuleInput } from '@aoc/core';
import { procedure, router } from './init.js';

/** Alert rules for the console: list, create, update, delete, and a preview of what a draft would match. */
export const rulesRouter = router({
  list: procedure.query(({ ctx }) => ctx.core.rules.list()),
  create: procedure.input(RuleInput).mutation(({ ctx, input }) => ctx.core.rules.create(input)),
  update: procedure
    .input(z.object({ id: RecordId, rule: RuleInput }))
    .mutation(({ ctx, input }) => ctx.core.rules.update(input.id, input.rule)),
  delete: procedure
    .input(z.object({ id: RecordId }))
    .mutation(({ ctx, input }) => ctx.core.rules.delete(input.id)),
  preview: procedure
    .input(PreviewInput)
    .query(({ ctx, input }) => ctx.core.rules.preview(input.rule, { days: input.days })),
});

/** Alerts raised by the rules: a filtered page, and acknowledging one as the signed-in user. */
export const alertsRouter = router({
  list: procedure.input(ListAlertsInput.optional()).query(({ ctx, input }) => ctx.core.alerts.list(input)),
  acknowledge: procedure
    .input(z.object({ id: RecordId }))
    .mutation(({ ctx, input }) => ctx.core.alerts.acknowledge(input.id, ctx.identity?.name ?? 'anonymous')),
});
