import type { ContentType } from './sources.js';

export interface Webhook {
  status: 'enabled' | 'disabled' | 'expired';
  address: string;
  authId: string | null;
  expiration: string | null;
}

export interface Subscription {
  contentType: ContentType;
  status: 'enabled' | 'disabled';
  webhook: Webhook | null;
}

/** A notification attempt, as `subscriptions/notifications` lists it. */
export interface NotificationRecord {
  contentType: ContentType;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
  notificationSent: string;
  notificationStatus: 'success' | 'failed';
}

export interface SubscriptionState {
  subscriptions: Map<ContentType, Subscription>;
  notifications: NotificationRecord[];
  /** Deliveries in flight, so tests can wait for them. */
  pending: Set<Promise<void>>;
}

export function createSubscriptionState(initial: readonly ContentType[]): SubscriptionState {
  return {
    subscriptions: new Map(
      initial.map((contentType) => [contentType, { contentType, status: 'enabled', webhook: null }]),
    ),
    notifications: [],
    pending: new Set(),
  };
}
