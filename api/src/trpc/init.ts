import { initTRPC } from '@trpc/server';
import type { TrpcContext } from './context.js';
import { formatTrpcError } from './error-formatter.js';

const t = initTRPC.context<TrpcContext>().create({
  isDev: false,
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 30_000 } },
  errorFormatter({ shape, error, path, ctx }) {
    const formatted = formatTrpcError(error, path, ctx?.requestId);
    return { ...shape, message: formatted.message, code: formatted.code, data: formatted.data };
  },
});

export const router = t.router;
export const procedure = t.procedure;
