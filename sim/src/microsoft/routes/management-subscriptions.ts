import { managementError } from '../error-bodies.js';
import { INVALID_JSON, isRecord, json, parseJsonBody, type SimRequest, type SimResponse } from '../http.js';
import { addressProblem, validateWebhook } from '../webhooks.js';
import type { ManagementDeps } from './management.js';
import { contentTypeOf, enabledSubscription } from './management-params.js';

/**
 * `subscriptions/start`: enables the type, validating a requested webhook first; an already enabled subscription
 * without a webhook change answers AF20024.
 */
export async function startSubscription(req: SimRequest, deps: ManagementDeps): Promise<SimResponse> {
  const type = contentTypeOf(req);
  if (typeof type !== 'string') return type;
  const body = parseJsonBody(req);
  if (body === INVALID_JSON || (body !== undefined && !isRecord(body)))
    return managementError(400, 'AF20002', 'Invalid parameter type: webhook. Expected type: object');
  const requested = isRecord(body) && isRecord(body.webhook) ? body.webhook : undefined;
  const existing = deps.state.subscriptions.get(type);
  if (existing?.status === 'enabled' && !requested) {
    return managementError(400, 'AF20024', 'The subscription is already enabled. No property change.');
  }
  let webhook = existing?.webhook ?? null;
  if (requested) {
    const address = typeof requested.address === 'string' ? requested.address : '';
    const authId = typeof requested.authId === 'string' && requested.authId !== '' ? requested.authId : null;
    const expiration =
      typeof requested.expiration === 'string' && requested.expiration !== '' ? requested.expiration : null;
    if (expiration !== null && Date.parse(expiration) < deps.now().getTime()) {
      return managementError(
        400,
        'AF20003',
        `Expiration ${expiration} provided is set to past date and time.`,
      );
    }
    const problem =
      addressProblem(address) ??
      ((await validateWebhook({ address, authId })) ? undefined : 'The endpoint did not return HTTP 200.');
    if (problem)
      return managementError(
        400,
        'AF20021',
        `The webhook endpoint ${address} could not be validated. ${problem}`,
      );
    webhook = { status: 'enabled', address, authId, expiration };
  }
  const subscription = { contentType: type, status: 'enabled' as const, webhook };
  deps.state.subscriptions.set(type, subscription);
  return json(200, subscription);
}

/** `subscriptions/stop`: content of the type is refused (AF20023) until it is started again. */
export function stopSubscription(req: SimRequest, deps: ManagementDeps): SimResponse {
  const type = contentTypeOf(req);
  if (typeof type !== 'string') return type;
  const existing = deps.state.subscriptions.get(type);
  if (!existing)
    return managementError(400, 'AF20022', 'No subscription found for the specified content type.');
  deps.state.subscriptions.set(type, { ...existing, status: 'disabled' });
  return { status: 200 };
}

/** `subscriptions/notifications`: every notification attempt for the type. */
export function listNotifications(req: SimRequest, deps: ManagementDeps): SimResponse {
  const type = contentTypeOf(req);
  if (typeof type !== 'string') return type;
  const disabled = enabledSubscription(type, deps);
  if (disabled) return disabled;
  return json(
    200,
    deps.state.notifications.filter((n) => n.contentType === type),
  );
}
