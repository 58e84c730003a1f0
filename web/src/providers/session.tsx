import { Match, Switch, createContext, createResource, useContext, type ParentProps } from 'solid-js';
import { ErrorState, Loading } from '../components/states.js';
import { parseAuthConfig } from '../lib/auth-config.js';
import type { MsalSession } from '../lib/msal-session.js';

/** Who is using the console and how their calls are authorized. */
export interface Session {
  authEnabled: boolean;
  user: string | null;
  /** The bearer token for API calls, or null when auth is off. */
  token: () => Promise<string | null>;
  signOut: (() => Promise<void>) | null;
}

type Boot = { kind: 'ready'; session: Session } | { kind: 'signed-out'; msal: MsalSession };

const SessionContext = createContext<Session>();

async function boot(): Promise<Boot> {
  const response = await fetch('/api/config/auth', { headers: { accept: 'application/json' } });
  if (!response.ok)
    throw Object.assign(new Error(`GET /api/config/auth answered ${response.status}`), {
      status: response.status,
    });
  const config = parseAuthConfig(await response.json());
  if (!config.enabled) {
    return {
      kind: 'ready',
      session: { authEnabled: false, user: null, token: () => Promise.resolve(null), signOut: null },
    };
  }
  const { startMsalSession } = await import('../lib/msal-session.js');
  const msal = await startMsalSession(config);
  if (!msal.user) return { kind: 'signed-out', msal };
  return {
    kind: 'ready',
    session: { authEnabled: true, user: msal.user, token: msal.token, signOut: msal.signOut },
  };
}

function SignIn(props: { msal: MsalSession }) {
  return (
    <main id="main" class="sign-in">
      <div class="card">
        <h1>Sign in to AOC</h1>
        <p>This console is protected. Sign in with your Microsoft Entra work account to continue.</p>
        <button type="button" class="primary" onClick={() => void props.msal.signIn()}>
          Sign in with Microsoft
        </button>
      </div>
    </main>
  );
}

/** Resolves the session before anything else renders: auth settings, MSAL redirect handling, the account. */
export function SessionProvider(props: ParentProps) {
  const [state, { refetch }] = createResource(boot);
  return (
    <Switch fallback={<Loading label="Starting the console…" />}>
      <Match when={state.error as unknown}>
        {(error) => (
          <main id="main">
            <ErrorState what="Loading the sign-in settings" error={error()} onRetry={() => void refetch()} />
          </main>
        )}
      </Match>
      <Match when={state()}>
        {(current) => (
          <Switch>
            <Match
              when={current().kind === 'signed-out' && (current() as Extract<Boot, { kind: 'signed-out' }>)}
            >
              {(signedOut) => <SignIn msal={signedOut().msal} />}
            </Match>
            <Match when={current().kind === 'ready' && (current() as Extract<Boot, { kind: 'ready' }>)}>
              {(ready) => (
                <SessionContext.Provider value={ready().session}>{props.children}</SessionContext.Provider>
              )}
            </Match>
          </Switch>
        )}
      </Match>
    </Switch>
  );
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
