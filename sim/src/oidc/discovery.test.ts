import { describe, expect, it } from 'vitest';
import { openidConfiguration } from './discovery.js';

const ctx = {
  origin: 'http://127.0.0.1:4000',
  tenant: 'tenant-1',
  v1Issuer: 'https://sts.windows.net/tenant-1/',
  v2Issuer: 'http://127.0.0.1:4000/tenant-1/v2.0',
};
const base = `${ctx.origin}/${ctx.tenant}`;

describe('openidConfiguration', () => {
  it('gives v2.0 its /v2.0 endpoints, its issuer, Graph userinfo and v2 claims', () => {
    const doc = openidConfiguration('v2', ctx);
    expect(doc).toMatchObject({
      issuer: ctx.v2Issuer,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      request_uri_parameter_supported: false,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    });
    expect(doc.claims_supported).toEqual(expect.arrayContaining(['sub', 'tid', 'preferred_username']));
    expect(doc.claims_supported).not.toContain('amr');
    expect(doc).not.toHaveProperty('check_session_iframe');
    expect(doc).not.toHaveProperty('microsoft_multi_refresh_token');
  });

  it('gives v1 the unversioned endpoints, the sts.windows.net issuer and v1-only fields', () => {
    const doc = openidConfiguration('v1', ctx);
    expect(doc).toMatchObject({
      issuer: ctx.v1Issuer,
      token_endpoint: `${base}/oauth2/token`,
      authorization_endpoint: `${base}/oauth2/authorize`,
      end_session_endpoint: `${base}/oauth2/logout`,
      jwks_uri: `${base}/discovery/keys`,
      userinfo_endpoint: `${base}/openid/userinfo`,
      check_session_iframe: `${base}/oauth2/checksession`,
      microsoft_multi_refresh_token: true,
      scopes_supported: ['openid'],
    });
    expect(doc.claims_supported).toEqual(expect.arrayContaining(['sub', 'amr', 'given_name']));
    expect(doc.claims_supported).not.toContain('tid');
    expect(doc).not.toHaveProperty('request_uri_parameter_supported');
  });
});
