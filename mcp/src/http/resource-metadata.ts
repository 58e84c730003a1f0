/** What the protected-resource metadata is built from (the API's auth settings). */
export interface ResourceMetadataSettings {
  /** Entra login origin, e.g. https://login.microsoftonline.com. */
  loginBaseUrl: string;
  /** The tenant whose tokens are accepted. */
  tenantId: string;
  /** The app registration tokens are issued for. */
  clientId: string;
}

export const METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the resource at `resourcePath` (what follows the
 * well-known prefix; empty for the origin itself): its authorization server is the Entra tenant's v2.0
 * issuer and its scope the app's `.default`. MCP clients read it to learn where to sign in.
 */
export function protectedResourceMetadata(
  origin: string,
  resourcePath: string,
  settings: ResourceMetadataSettings,
): Response {
  const body = {
    resource: `${origin}${resourcePath}`,
    authorization_servers: [`${settings.loginBaseUrl}/${settings.tenantId}/v2.0`],
    scopes_supported: [`api://${settings.clientId}/.default`],
    bearer_methods_supported: ['header'],
    resource_name: 'AOC — Admin Operations Center',
  };
  return new Response(JSON.stringify(body), {
    headers: { 'content-type': 'application/json', 'cache-control': 'max-age=3600' },
  });
}
