import type { ChatRequest, Reply } from './answer.js';
import { countTokens, messageText } from './prompt.js';

/** OpenAI's `usage` block. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Identity of one completion, shared by the JSON body and every SSE chunk. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

/** Cuts the content at `maxTokens` (four characters a token), reporting `finish_reason: 'length'` as OpenAI does. */
export function limitReply(reply: Reply, maxTokens: number | undefined): Reply {
  if (maxTokens === undefined || reply.content === null || reply.content.length <= maxTokens * 4)
    return reply;
  return { ...reply, content: reply.content.slice(0, maxTokens * 4), finishReason: 'length' };
}

function toolCallsJson(reply: Reply) {
  return reply.toolCalls.map((call) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
  }));
}

/** The non-streaming `chat.completion` body. */
export function completionBody(meta: CompletionMeta, reply: Reply, usage: Usage) {
  const message: Record<string, unknown> = { role: 'assistant', content: reply.content, refusal: null };
  if (reply.toolCalls.length > 0) message.tool_calls = toolCallsJson(reply);
  return {
    ...meta,
    object: 'chat.completion',
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }],
    usage,
    system_fingerprint: 'fp_sim',
  };
}

// Content goes out in small pieces so clients really have to reassemble it.
const PIECE = 16;

/**
 * The `chat.completion.chunk` objects of a streamed answer, in order: the role, the content (or tool-call
 * arguments) in pieces, the finish reason, and the usage chunk when `include_usage` asks for it.
 */
export function completionChunks(meta: CompletionMeta, reply: Reply, usage: Usage | undefined): object[] {
  const chunk = (delta: object, finish: string | null = null) => ({
    ...meta,
    object: 'chat.completion.chunk',
    system_fingerprint: 'fp_sim',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const chunks: object[] = [chunk({ role: 'assistant', content: reply.content === null ? null : '' })];
  for (const piece of pieces(reply.content ?? '')) chunks.push(chunk({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    for (const piece of pieces(call.arguments))
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(chunk({}, reply.finishReason));
  if (usage !== undefined) chunks.push({ ...meta, object: 'chat.completion.chunk', choices: [], usage });
  return chunks;
}

function pieces(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += PIECE) out.push(text.slice(i, i + PIECE));
  return out;
}

/** Token counts for a request and its reply, by the same rough measure as {@link countTokens}. */
export function usageOf(request: ChatRequest, reply: Reply): Usage {
  const prompt =
    request.messages.reduce((sum, m) => sum + countTokens(messageText(m)) + 4, 0) +
    (request.tools ? countTokens(JSON.stringify(request.tools)) : 0);
  const completion =
    countTokens(reply.content ?? '') +
    reply.toolCalls.reduce((sum, c) => sum + countTokens(c.name + c.arguments), 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
