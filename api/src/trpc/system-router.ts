import { procedure, router } from './init.js';

/** Server facts the console shows: feature flags, version and database health. */
export const systemRouter = router({
  features: procedure.query(({ ctx }) => ({
    ai_features_enabled: ctx.config.ai.enabled,
    demo_tenant: ctx.demoTenant,
    version: ctx.version,
  })),
  health: procedure.query(({ ctx }) => ctx.core.health()),
});
