import {
  createTRPCClient,
  httpBatchStreamLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import type { AppRouter } from '@aoc/api';

/** The typed API client the whole console uses. */
export type ApiClient = TRPCClient<AppRouter>;

/**
 * Builds the tRPC client: queries and mutations batched over HTTP, subscriptions over SSE. The batch link
 * streams each answer as soon as it is ready, so the event list never waits for a slower summary issued in the
 * same tick. The bearer token is attached to every HTTP call; SSE cannot carry headers, so subscriptions send
 * it as a connection parameter.
 */
export function createApiClient(token: () => Promise<string | null>): ApiClient {
  const url = '/trpc';
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          connectionParams: async () => {
            const value = await token();
            return value ? { token: value } : {};
          },
        }),
        false: httpBatchStreamLink({
          url,
          headers: async () => {
            const value = await token();
            return value ? { authorization: `Bearer ${value}` } : {};
          },
        }),
      }),
    ],
  });
}
