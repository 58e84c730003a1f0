/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

// Messages and types as OpenAI's API returns them for each status (platform.openai.com/docs/guides/error-codes).
const BY_STATUS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
  403: {
    message: 'You are not allowed to sample from this model.',
    type: 'invalid_request_error',
    code: null,
  },
  404: {
    message: 'The model does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    code: 'model_not_found',
  },
  429: {
    message: 'Rate limit reached for requests. Please try again later.',
    type: 'requests',
    code: 'rate_limit_exceeded',
  },
  500: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    code: null,
  },
  503: {
    message: 'The engine is currently overloaded, please try again later.',
    type: 'server_error',
    code: null,
  },
};

/** An OpenAI-style error body for `status`, with optional overrides. */
export function openAiError(
  status: number,
  override: { message?: string; type?: string; code?: string | null; param?: string | null } = {},
): OpenAiErrorBody {
  const base = BY_STATUS[status] ?? { message: `HTTP ${status}`, type: 'server_error', code: null };
  return {
    error: {
      message: override.message ?? base.message,
      type: override.type ?? base.type,
      param: override.param ?? null,
      code: override.code === undefined ? base.code : override.code,
    },
  };
}

/** Azure OpenAI's error body, which carries the status as a string code (e.g. `"404"`, `"401"`). */
export function azureError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
