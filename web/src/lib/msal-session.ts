import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo } from '@azure/msal-browser';
import type { AuthConfig } from './auth-config.js';

/** A signed-in (or signed-out) browser session backed by MSAL's redirect flow. */
export interface MsalSession {
  /** Display name or UPN of the signed-in account, or null when nobody is signed in. */
  user: string | null;
  signIn: () => Promise<void>;
  signOut: () => Promise<void>;
  /** A current access token for the API, renewed silently; redirects to sign in when it cannot be. */
  token: () => Promise<string>;
}

/**
 * Starts MSAL, completes a redirect sign-in if the page is coming back from one, and exposes the account.
 * This module is loaded with `import()` only when auth is enabled, so MSAL never weighs on the initial bundle.
 */
export async function startMsalSession(config: AuthConfig): Promise<MsalSession> {
  const pca = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      // Non-Microsoft hosts (sovereign clouds behind custom domains, the test issuer) must be declared.
      knownAuthorities: [new URL(config.authority).host],
      redirectUri: `${location.origin}/`,
      postLogoutRedirectUri: `${location.origin}/`,
    },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await pca.initialize();
  const result = await pca.handleRedirectPromise();
  const account: AccountInfo | null =
    result?.account ?? pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null;
  if (account) pca.setActiveAccount(account);
  const request = { scopes: config.scopes };
  return {
    user: account ? account.name || account.username : null,
    signIn: () => pca.loginRedirect(request),
    signOut: () => pca.logoutRedirect(account ? { account } : {}),
    token: async () => {
      if (!account) throw new Error('Not signed in');
      try {
        const silent = await pca.acquireTokenSilent({ ...request, account });
        return silent.accessToken;
      } catch (error) {
        if (error instanceof InteractionRequiredAuthError)
          await pca.acquireTokenRedirect({ ...request, account });
        throw error;
      }
    },
  };
}
