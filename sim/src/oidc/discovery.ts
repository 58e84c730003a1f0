/** Where the simulator is reachable and how it names its issuers. */
export interface DiscoveryContext {
  origin: string;
  /** The tenant segment of the request path (a tenant id, `common` or `organizations`). */
  tenant: string;
  v2Issuer: string;
  v1Issuer: string;
}

/** The two generations of Entra's endpoints: v1 (`/oauth2/token`) and v2.0 (`/oauth2/v2.0/token`). */
export type EndpointVersion = 'v1' | 'v2';

// Claims both documents list, in Entra's order; each version appends its own.
const COMMON_CLAIMS = [
  'sub',
  'iss',
  'cloud_instance_name',
  'cloud_instance_host_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
];

/** What sets the v1 and v2.0 documents apart, beyond the `/v2.0` path segment. */
const VERSIONS = {
  v1: {
    segment: '',
    issuer: (ctx: DiscoveryContext) => ctx.v1Issuer,
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    claims: ['amr', 'nonce', 'email', 'given_name', 'family_name', 'nickname'],
    extra: (base: string) => ({
      microsoft_multi_refresh_token: true,
      check_session_iframe: `${base}/oauth2/checksession`,
      userinfo_endpoint: `${base}/openid/userinfo`,
    }),
  },
  v2: {
    segment: '/v2.0',
    issuer: (ctx: DiscoveryContext) => ctx.v2Issuer,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims: ['nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    extra: () => ({
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    }),
  },
} satisfies Record<EndpointVersion, unknown>;

/**
 * The OpenID configuration with the fields Entra publishes at
 * `https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration` (v2) and
 * `/{tenant}/.well-known/openid-configuration` (v1, whose issuer is `sts.windows.net`).
 */
export function openidConfiguration(version: EndpointVersion, ctx: DiscoveryContext) {
  const v = VERSIONS[version];
  const base = `${ctx.origin}/${ctx.tenant}`;
  const oauth2 = `${base}/oauth2${v.segment}`;
  return {
    token_endpoint: `${oauth2}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery${v.segment}/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: v.response_types_supported,
    scopes_supported: v.scopes_supported,
    issuer: v.issuer(ctx),
    authorization_endpoint: `${oauth2}/authorize`,
    device_authorization_endpoint: `${oauth2}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth2}/logout`,
    claims_supported: [...COMMON_CLAIMS, ...v.claims],
    ...v.extra(base),
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/**
 * Entra's answer for a tenant it does not know (AADSTS90002), as a JSON body for HTTP 400.
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export function invalidTenant(tenant: string) {
  return {
    error: 'invalid_tenant',
    error_description: `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    error_codes: [90002],
    timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
    trace_id: '00000000-0000-0000-0000-000000000000',
    correlation_id: '00000000-0000-0000-0000-000000000000',
    error_uri: 'https://login.microsoftonline.com/error?code=90002',
  };
}
