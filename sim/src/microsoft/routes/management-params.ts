import { RETENTION_MS } from '../blobs.js';
import { managementError } from '../error-bodies.js';
import { json, type SimRequest, type SimResponse } from '../http.js';
import { CONTENT_TYPES, type ContentType } from '../sources.js';
import type { ManagementDeps } from './management.js';

const DAY_MS = 86_400_000;

/** 405 in ASP.NET's words, as the service answers a wrong verb. */
export const methodNotAllowed = (req: SimRequest): SimResponse =>
  json(405, { Message: `The requested resource does not support http method '${req.method}'.` });

/** The contentType parameter, or AF20001 (missing) / AF20020 (unknown). */
export function contentTypeOf(req: SimRequest): ContentType | SimResponse {
  const value = req.url.searchParams.get('contentType');
  if (value === null || value === '')
    return managementError(400, 'AF20001', 'Missing parameter: contentType.');
  // The service matches content types case-insensitively (mocks use "Audit.Sharepoint").
  const match = CONTENT_TYPES.find((t) => t.toLowerCase() === value.toLowerCase());
  if (!match) return managementError(400, 'AF20020', 'The specified content type is not valid.');
  return match;
}

/** AF20022 when the type was never subscribed, AF20023 when its subscription is stopped. */
export function enabledSubscription(type: ContentType, deps: ManagementDeps): SimResponse | undefined {
  const subscription = deps.state.subscriptions.get(type);
  if (!subscription)
    return managementError(400, 'AF20022', 'No subscription found for the specified content type.');
  if (subscription.status !== 'enabled')
    return managementError(400, 'AF20023', 'The subscription was disabled by a tenant admin.');
  return undefined;
}

/** startTime/endTime as the API takes them: YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS (UTC). */
function parseTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?Z?$/.test(text)) return undefined;
  const ms = Date.parse(text.endsWith('Z') ? text : text.length === 10 ? `${text}T00:00:00Z` : `${text}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Resolves startTime/endTime: both or neither, at most 24 h apart, start no more than 7 days back. */
export function timeWindow(
  req: SimRequest,
  deps: ManagementDeps,
): { start: number; end: number } | SimResponse {
  const startText = req.url.searchParams.get('startTime');
  const endText = req.url.searchParams.get('endTime');
  const nowMs = deps.now().getTime();
  if (startText === null && endText === null) return { start: nowMs - DAY_MS, end: nowMs };
  // The reference table documents AF20030 for this rule; the live service answers AF20055 for a window that is
  // too long, inverted or too old. A client must treat both codes alike.
  if (startText === null || endText === null) {
    return managementError(
      400,
      'AF20030',
      'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.',
    );
  }
  const start = parseTime(startText);
  const end = parseTime(endText);
  if (start === undefined)
    return managementError(400, 'AF20002', 'Invalid parameter type: startTime. Expected type: datetime');
  if (end === undefined)
    return managementError(400, 'AF20002', 'Invalid parameter type: endTime. Expected type: datetime');
  if (end - start > DAY_MS || start >= end || start < nowMs - RETENTION_MS) {
    return managementError(
      400,
      'AF20055',
      'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time prior to end time and start time no more than 7 days in the past.',
    );
  }
  return { start, end };
}
