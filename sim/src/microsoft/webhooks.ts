import { randomBytes } from 'node:crypto';
import type { ContentType } from './sources.js';
import type { SubscriptionState, Webhook } from './subscriptions.js';

export interface ContentNotice {
  contentType: ContentType;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** The reason a webhook address is refused before any request is made, if any. */
export function addressProblem(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'The address must begin with HTTPS.';
  }
  // The real service insists on HTTPS; the sim also accepts plain HTTP on loopback, where tests listen.
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname)))
    return undefined;
  return 'The address must begin with HTTPS.';
}

/**
 * Sends the validation request `subscriptions/start` makes before accepting a webhook: a POST carrying
 * `Webhook-ValidationCode` (and `Webhook-AuthID`); anything but 200 rejects the webhook.
 */
export async function validateWebhook(webhook: { address: string; authId: string | null }): Promise<boolean> {
  const code = randomBytes(16).toString('hex');
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'webhook-validationcode': code,
  };
  if (webhook.authId) headers['webhook-authid'] = webhook.authId;
  try {
    const response = await fetch(webhook.address, {
      method: 'POST',
      headers,
      body: JSON.stringify({ validationCode: code }),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Posts a notification listing new content to the type's webhook, recording the attempt. */
export function notify(
  state: SubscriptionState,
  ids: { tenantId: string; clientId: string },
  notices: ContentNotice[],
  now: () => Date,
): void {
  const byType = new Map<ContentType, ContentNotice[]>();
  for (const notice of notices)
    byType.set(notice.contentType, [...(byType.get(notice.contentType) ?? []), notice]);
  for (const [contentType, list] of byType) {
    const subscription = state.subscriptions.get(contentType);
    const webhook: Webhook | null | undefined =
      subscription?.status === 'enabled' ? subscription.webhook : undefined;
    if (!webhook || webhook.status !== 'enabled') continue;
    const headers: Record<string, string> = { 'content-type': 'application/json; utf-8' };
    if (webhook.authId) headers['webhook-authid'] = webhook.authId;
    const body = list.map((notice) => ({ tenantId: ids.tenantId, clientId: ids.clientId, ...notice }));
    const delivery = fetch(webhook.address, { method: 'POST', headers, body: JSON.stringify(body) })
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status === 200;
      })
      .catch(() => false)
      .then((ok) => {
        const sent = now().toISOString();
        for (const notice of list)
          state.notifications.push({
            ...notice,
            notificationSent: sent,
            notificationStatus: ok ? 'success' : 'failed',
          });
      });
    state.pending.add(delivery);
    void delivery.finally(() => state.pending.delete(delivery));
  }
}
