/** What the console offers, from the API's feature announcement. */
export interface Features {
  /** Ask and Explain are offered (`ai_features_enabled`). */
  ai: boolean;
  /** Events come from the built-in simulated tenant: say so on every screen. */
  demoTenant: boolean;
}

/** Features before the announcement arrives: nothing optional is shown. */
export const NO_FEATURES: Features = { ai: false, demoTenant: false };

/** Reads the feature announcement; unknown or missing flags mean "off". */
export function parseFeatures(body: unknown): Features {
  if (body === null || typeof body !== 'object') return NO_FEATURES;
  const b = body as Record<string, unknown>;
  return {
    ai: b.ai_features_enabled === true || b.aiFeaturesEnabled === true || b.ai === true,
    demoTenant: b.demo_tenant === true || b.demoTenant === true,
  };
}
