/** Microsoft's code and message from an error body, as far as they can be read. */
export interface ErrorBody {
  code: string | undefined;
  message: string | undefined;
}

const MAX_ERROR_BODY = 16_384;

/**
 * Read the error a Microsoft endpoint returned. Graph and the Management Activity API answer
 * `{ error: { code, message } }`; the login endpoint answers `{ error, error_description, error_codes }`
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). Only the first line of a
 * message is kept: the rest is trace and correlation ids.
 */
export async function readErrorBody(response: Response): Promise<ErrorBody> {
  let text: string;
  try {
    text = (await response.text()).slice(0, MAX_ERROR_BODY);
  } catch {
    return { code: undefined, message: undefined };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { code: undefined, message: firstLine(text) };
  }
  if (!isRecord(parsed)) return { code: undefined, message: undefined };
  const error = parsed.error;
  if (isRecord(error)) {
    return { code: stringOrUndefined(error.code), message: firstLine(stringOrUndefined(error.message)) };
  }
  const codes = parsed.error_codes;
  const aadsts = Array.isArray(codes) && typeof codes[0] === 'number' ? `AADSTS${codes[0]}` : undefined;
  return {
    code: aadsts ?? stringOrUndefined(error),
    message: firstLine(stringOrUndefined(parsed.error_description)),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
  return line.length > 0 ? line.slice(0, 300) : undefined;
}
