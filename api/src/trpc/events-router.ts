import { z } from 'zod';
import { EventId, SearchEventsInput, SummaryInput, TagList } from '@aoc/core';
import { procedure, router } from './init.js';
import { typedInput } from './typed-input.js';
import type { SearchEventsRequest, SummaryRequest } from './typed-input.js';

/** Event queries and analyst edits for the console; each procedure calls one `core.events` verb. */
export const eventsRouter = router({
  search: procedure
    .input(typedInput<SearchEventsRequest, typeof SearchEventsInput>(SearchEventsInput))
    .query(({ ctx, input }) => ctx.core.events.search(input)),
  get: procedure.input(z.object({ id: EventId })).query(({ ctx, input }) => ctx.core.events.get(input.id)),
  filterOptions: procedure.query(({ ctx }) => ctx.core.events.filterOptions()),
  summary: procedure
    .input(typedInput<SummaryRequest, typeof SummaryInput>(SummaryInput))
    .query(({ ctx, input }) => ctx.core.events.summary(input)),
  setTags: procedure
    .input(z.object({ id: EventId, tags: TagList }))
    .mutation(({ ctx, input }) => ctx.core.events.setTags(input.id, input.tags)),
  addComment: procedure.input(z.object({ id: EventId, text: z.string() })).mutation(({ ctx, input }) =>
    // The author is the signed-in caller; with auth off there is no one to name.
    ctx.core.events.addComment(input.id, { author: ctx.identity?.name ?? 'anonymous', text: input.text }),
  ),
});
