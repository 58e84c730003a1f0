import type { Source } from '../events/model.js';
import type { FetchTrigger } from './fetch-trigger.js';
import { safeEqual } from './safe-equal.js';

/**
 * Microsoft Graph change notifications (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks):
 * the subscription handshake sends `validationToken` in the query and wants it back URL-decoded as
 * `text/plain` with 200 within 10 s; notifications want 202 within 3 s, or Graph retries and then throttles
 * the endpoint. So the handler only checks `clientState` (constant-time) and starts an incremental fetch of
 * the affected source in the background. Graph cannot push directory audits or Intune audit events; these
 * notifications (users, groups, …) only make polling happen sooner.
 */
export async function handleGraphNotification(
  request: Request,
  clientSecret: string | undefined,
  trigger: FetchTrigger,
): Promise<Response> {
  const validationToken = new URL(request.url).searchParams.get('validationToken');
  if (validationToken !== null) {
    return new Response(validationToken, {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  if (!clientSecret)
    return problem(403, 'FORBIDDEN', 'webhooks are disabled: WEBHOOK_CLIENT_SECRET is not set');
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return problem(400, 'VALIDATION', 'notification body is not JSON');
  }
  const items = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(items)) return problem(400, 'VALIDATION', 'notification body has no "value" array');
  const trusted = items.filter(
    (item): item is Record<string, unknown> =>
      typeof item === 'object' &&
      item !== null &&
      safeEqual((item as { clientState?: unknown }).clientState, clientSecret),
  );
  if (trusted.length === 0) return problem(403, 'FORBIDDEN', 'clientState does not match');
  trigger.fire([...new Set(trusted.map((item) => sourceOf(item.resource)))]);
  return new Response(null, { status: 202 });
}

/** Intune resources live under deviceManagement; everything else Graph notifies about is directory data. */
function sourceOf(resource: unknown): Source {
  return typeof resource === 'string' && /^\/?deviceManagement\//i.test(resource) ? 'intune' : 'directory';
}

function problem(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}
