import type { ChatRequest } from './answer.js';
import { openAiError, type OpenAiErrorBody } from './errors.js';
import { messageText } from './prompt.js';

/** The 400 OpenAI answers for a body it cannot use, or undefined when the body is a usable chat request. */
export function validateChatBody(body: unknown): OpenAiErrorBody | undefined {
  if (typeof body !== 'object' || body === null) {
    return openAiError(400, {
      message:
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    });
  }
  const { messages } = body as { messages?: unknown };
  if (!Array.isArray(messages) || messages.length === 0) {
    return openAiError(400, {
      message: "Missing required parameter: 'messages'.",
      param: 'messages',
      code: 'missing_required_parameter',
    });
  }
  const request = body as ChatRequest;
  // OpenAI refuses JSON mode unless the prompt itself asks for JSON.
  if (
    request.response_format?.type === 'json_object' &&
    !request.messages.some((m) => /json/i.test(messageText(m)))
  ) {
    return openAiError(400, {
      message:
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      param: 'messages',
    });
  }
  return undefined;
}
