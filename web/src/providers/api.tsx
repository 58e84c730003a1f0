import { Show, createContext, createResource, useContext, type Accessor, type ParentProps } from 'solid-js';
import { describeError } from '../lib/errors.js';
import { NO_FEATURES, parseFeatures, type Features } from '../lib/features.js';
import { createApiClient, type ApiClient } from '../lib/trpc.js';
import { useSession } from './session.js';

interface ApiContextValue {
  client: ApiClient;
  features: Accessor<Features>;
  /** The API refused this user outright (403 on the first call): the console shows "no access". */
  forbidden: Accessor<boolean>;
}

const ApiContext = createContext<ApiContextValue>();

/** Creates the tRPC client for the session and loads the feature flags once. */
export function ApiProvider(props: ParentProps) {
  const session = useSession();
  const client = createApiClient(session.token);
  const [features] = createResource(async () => parseFeatures(await client.system.features.query()));
  const value: ApiContextValue = {
    client,
    features: () => (features.state === 'ready' ? features() : NO_FEATURES),
    forbidden: () => features.state === 'errored' && describeError(features.error).forbidden,
  };
  return <ApiContext.Provider value={value}>{props.children}</ApiContext.Provider>;
}

function context(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('API context used outside ApiProvider');
  return value;
}

/** The typed tRPC client. */
export function useApi(): ApiClient {
  return context().client;
}

/** Feature flags; everything optional is off until the announcement arrives. */
export function useFeatures(): Accessor<Features> {
  return context().features;
}

/** Renders its children, or a clear "no access" page when the API refuses the signed-in user. */
export function AccessGate(props: ParentProps) {
  const session = useSession();
  return (
    <Show when={!context().forbidden()} fallback={<NoAccess user={session.user} />}>
      {props.children}
    </Show>
  );
}

function NoAccess(props: { user: string | null }) {
  return (
    <div class="card sign-in" role="alert" data-testid="no-access">
      <h1>No access</h1>
      <p>
        {props.user ? `You are signed in as ${props.user}, but this account` : 'This account'} has no role or
        group that grants access to AOC.
      </p>
      <p>Ask an AOC administrator to add you to one of the allowed roles or groups, then sign in again.</p>
    </div>
  );
}
