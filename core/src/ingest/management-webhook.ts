import { ContentType } from '../events/model.js';
import type { ContentRef } from '../sources/management-activity/feed.js';
import type { FetchTrigger } from './fetch-trigger.js';
import { safeEqual } from './safe-equal.js';
import type { Watermarks } from './watermarks.js';

/**
 * Office 365 Management Activity API webhooks
 * (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-reference#receiving-notifications):
 * the validation request carries `Webhook-ValidationCode` and wants 200; notifications carry `Webhook-AuthID`
 * (the authId given when subscribing, here WEBHOOK_CLIENT_SECRET) and a JSON array of available content. The
 * announced blobs are queued in `watermarks` and downloaded by a background unified fetch (or the next one).
 * Polling stays the primary path: Microsoft notes webhook delivery can lag behind listing content.
 */
export async function handleManagementNotification(
  request: Request,
  authId: string | undefined,
  tenantId: string | undefined,
  watermarks: Watermarks,
  trigger: FetchTrigger,
): Promise<Response> {
  if (!authId) return problem(403, 'FORBIDDEN', 'webhooks are disabled: WEBHOOK_CLIENT_SECRET is not set');
  if (!safeEqual(request.headers.get('webhook-authid'), authId)) {
    return problem(403, 'FORBIDDEN', 'Webhook-AuthID does not match');
  }
  if (request.headers.get('webhook-validationcode') !== null) return new Response(null, { status: 200 });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return problem(400, 'VALIDATION', 'notification body is not JSON');
  }
  if (!Array.isArray(body)) return problem(400, 'VALIDATION', 'notification body is not an array');
  const refs = body.flatMap((item): ContentRef[] => {
    if (typeof item !== 'object' || item === null) return [];
    const r = item as Record<string, unknown>;
    const contentType = ContentType.safeParse(r.contentType);
    if (!contentType.success || typeof r.contentId !== 'string' || typeof r.contentUri !== 'string')
      return [];
    if (tenantId && typeof r.tenantId === 'string' && r.tenantId.toLowerCase() !== tenantId.toLowerCase())
      return [];
    return [
      {
        contentType: contentType.data,
        contentId: r.contentId,
        contentUri: r.contentUri,
        contentCreated: typeof r.contentCreated === 'string' ? r.contentCreated : '',
        contentExpiration: typeof r.contentExpiration === 'string' ? r.contentExpiration : '',
      },
    ];
  });
  if (refs.length > 0) {
    await watermarks.addPending(refs);
    trigger.fire(['unified']);
  }
  return new Response(null, { status: 200 });
}

function problem(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}
