import { procedure } from './init.js';
import type { Limiters } from '../deps.js';

/**
 * A procedure that spends one unit of the named limiter for its caller (by identity, else
 * address); the limiters are REST's, so switching surface does not double a caller's budget.
 */
export function limitedProcedure(name: keyof Limiters) {
  return procedure.use(({ ctx, next }) => {
    ctx.limiters[name].consume(ctx.rateKey);
    return next();
  });
}
