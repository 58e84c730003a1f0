import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { appRouter } from '../trpc/app-router.js';

/** One REST route as the app registered it (`*` and `:param` still in the path). */
export interface RouteKey {
  method: string;
  path: string;
}

/**
 * Every route the app registers, deduplicated (a route with middleware registers once per handler), without
 * global middleware (`ALL /*`) and without the tRPC mount, which `trpcProcedures` covers procedure by procedure.
 */
export function restRoutes(app: Hono<AppEnv>): RouteKey[] {
  const seen = new Map<string, RouteKey>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL' && path === '/*') continue;
    if (path.startsWith('/trpc')) continue;
    seen.set(`${method} ${path}`, { method, path });
  }
  return [...seen.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** Every tRPC procedure of the console's router, by dotted path, read from the router itself. */
export function trpcProcedures(): { path: string; type: ProcedureType }[] {
  const procedures = (
    appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: ProcedureType } }> } }
  )._def.procedures;
  return Object.entries(procedures)
    .map(([path, procedure]) => ({ path, type: procedure._def.type }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
