import { aiRouter } from './ai-router.js';
import { eventsRouter } from './events-router.js';
import { ingestRouter } from './ingest-router.js';
import { router } from './init.js';
import { alertsRouter, rulesRouter } from './rules-router.js';
import { systemRouter } from './system-router.js';

/** The console's API under `/trpc`. */
export const appRouter = router({
  ai: aiRouter,
  events: eventsRouter,
  ingest: ingestRouter,
  rules: rulesRouter,
  alerts: alertsRouter,
  system: systemRouter,
});

/** The router's type, imported by the console (`import type { AppRouter } from '@aoc/api'`) for a typed client. */
export type AppRouter = typeof appRouter;
