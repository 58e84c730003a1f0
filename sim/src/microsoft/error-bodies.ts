import { randomUUID } from 'node:crypto';
import { GRAPH_JSON, json, type Service, type SimResponse } from './http.js';

/** A Graph error: `{error: {code, message, innerError: {date, request-id, client-request-id}}}`. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: {
      'content-type': GRAPH_JSON,
      'request-id': requestId,
      'client-request-id': requestId,
      ...headers,
    },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': requestId,
        },
      },
    },
  };
}

/** A Management Activity API error: `{error: {code: "AF…", message}}` (reference doc, "Errors"). */
export function managementError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  return json(status, { error: { code, message } }, headers);
}

/** An Entra token endpoint error with its AADSTS code, trace and correlation ids. */
export function entraError(status: number, error: string, code: number, description: string): SimResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

const GRAPH_CODES: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad request.'],
  404: ['Request_ResourceNotFound', 'Resource not found.'],
  429: ['TooManyRequests', 'Too many requests.'],
  500: ['InternalServerError', 'An internal server error occurred.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceNotAvailable', 'The service is temporarily unavailable. Please retry later.'],
  504: ['GatewayTimeout', 'The gateway timed out.'],
};

/** The body a service sends with an injected status: each service in its own dialect. */
export function faultResponse(
  service: Service,
  status: number,
  headers: Record<string, string>,
  method: string,
): SimResponse {
  switch (service) {
    case 'graph': {
      const [code, message] = GRAPH_CODES[status] ?? ['UnknownError', 'An error occurred.'];
      return graphError(status, code, message, headers);
    }
    case 'management':
      if (status === 429 || status === 403) {
        return managementError(
          status,
          'AF429',
          `Too many requests. Method=${method}, PublisherId=00000000-0000-0000-0000-000000000000`,
          headers,
        );
      }
      return managementError(
        status,
        'AF50000',
        'An internal server error occurred. Retry the request.',
        headers,
      );
    case 'login':
      return {
        ...entraError(
          status,
          'temporarily_unavailable',
          90033,
          'A transient error has occurred. Please try again.',
        ),
        headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      };
    case 'other':
      return json(status, { error: { code: String(status), message: 'Injected fault.' } }, headers);
  }
}
