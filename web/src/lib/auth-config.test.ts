import { describe, expect, it } from 'vitest';
import { parseAuthConfig } from './auth-config.js';

describe('parseAuthConfig', () => {
  it('reads the original snake_case answer and derives authority and scope', () => {
    expect(parseAuthConfig({ auth_enabled: true, client_id: 'app', tenant_id: 'tid' })).toEqual({
      enabled: true,
      clientId: 'app',
      authority: 'https://login.microsoftonline.com/tid',
      scopes: ['api://app/.default'],
    });
  });

  it('prefers an explicit authority, login base and scopes', () => {
    const config = parseAuthConfig({
      enabled: true,
      clientId: 'app',
      tenantId: 't',
      login_base_url: 'http://127.0.0.1:9999/',
      scope: 'api://x/read api://x/write',
    });
    expect(config.authority).toBe('http://127.0.0.1:9999/t');
    expect(config.scopes).toEqual(['api://x/read', 'api://x/write']);
    expect(parseAuthConfig({ enabled: true, authority: 'https://issuer.test/abc' }).authority).toBe(
      'https://issuer.test/abc',
    );
  });

  it('treats anything else as auth disabled', () => {
    expect(parseAuthConfig(null).enabled).toBe(false);
    expect(parseAuthConfig({ auth_enabled: 'yes' }).enabled).toBe(false);
  });
});
