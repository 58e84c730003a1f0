import { createContext, createResource, useContext, type Accessor, type ParentProps } from 'solid-js';
import { NO_FEATURES, parseFeatures, type Features } from '../lib/features.js';
import { createApiClient, type ApiClient } from '../lib/trpc.js';
import { useSession } from './session.js';

interface ApiContextValue {
  client: ApiClient;
  features: Accessor<Features>;
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
  };
  return <ApiContext.Provider value={value}>{props.children}</ApiContext.Provider>;
}

/** The typed tRPC client. */
export function useApi(): ApiClient {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside ApiProvider');
  return value.client;
}

/** Feature flags; everything optional is off until the announcement arrives. */
export function useFeatures(): Accessor<Features> {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useFeatures outside ApiProvider');
  return value.features;
}
