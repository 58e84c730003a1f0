import { describe, expect, it } from 'vitest';
import { NO_FEATURES, parseFeatures } from './features.js';

describe('parseFeatures', () => {
  it('reads the announcement of /api/config/features and system.features', () => {
    expect(parseFeatures({ ai_features_enabled: true, demo_tenant: true, version: '1' })).toEqual({
      ai: true,
      demoTenant: true,
    });
    expect(parseFeatures({ ai_features_enabled: false })).toEqual({ ai: false, demoTenant: false });
  });

  it('shows nothing optional for anything else', () => {
    expect(parseFeatures(null)).toEqual(NO_FEATURES);
    expect(parseFeatures({ ai_features_enabled: 'true' })).toEqual(NO_FEATURES);
  });
});
