/** Who is calling, as the host established it (the API's verified Entra identity; undefined when auth is off). */
export interface McpCaller {
  identity: { tenantId: string; objectId: string } | undefined;
}

/** The key a session is bound to: the caller's tenant and object id, or one shared key when auth is off. */
export function callerKey(caller: McpCaller): string {
  return caller.identity ? `${caller.identity.tenantId}/${caller.identity.objectId}` : 'anonymous';
}

/** 256 random bits, base64url: unguessable, and within the visible ASCII the MCP spec requires of session ids. */
export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
