import { findEventIds, lastUserText, type ChatMessage } from './prompt.js';

/** A tool call as the simulator answers it (`arguments` is the JSON string OpenAI sends). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What one completion says, before it is shaped as a JSON body or as SSE chunks. */
export interface Reply {
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: 'stop' | 'length' | 'tool_calls';
}

/** The request fields the default answer depends on. */
export interface ChatRequest {
  model?: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type?: string };
  tools?: { type?: string; function?: { name?: string; parameters?: JsonSchema } }[];
  tool_choice?: unknown;
  max_tokens?: number;
  max_completion_tokens?: number;
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** How many event ids the default answer cites. */
export const CITED_EVENTS = 3;

/**
 * The deterministic default answer: it cites the first {@link CITED_EVENTS} event ids found in the prompt as
 * `[event:<id>]` markers and ends with a summary line. In JSON mode the same content comes as
 * `{ "answer", "event_ids", "summary" }`. With tools offered and no tool result yet, it calls a tool instead.
 */
export function defaultReply(request: ChatRequest): Reply {
  const toolCall = chooseToolCall(request);
  if (toolCall !== undefined) return { content: null, toolCalls: [toolCall], finishReason: 'tool_calls' };
  const ids = findEventIds(request.messages);
  const cited = ids.slice(0, CITED_EVENTS);
  const lines = cited.map((id) => `- [event:${id}] matches the question.`);
  const summary = `Summary: ${ids.length} event(s) in the prompt, ${cited.length} cited.`;
  const answer = ids.length === 0 ? 'No events were provided, so nothing can be cited.' : lines.join('\n');
  const content = isJsonMode(request)
    ? JSON.stringify({ answer, event_ids: cited, summary })
    : `${answer}\n${summary}`;
  return { content, toolCalls: [], finishReason: 'stop' };
}

/** `response_format` asks for JSON (`json_object`, or `json_schema`, answered with the same object). */
export function isJsonMode(request: ChatRequest): boolean {
  const type = request.response_format?.type;
  return type === 'json_object' || type === 'json_schema';
}

function chooseToolCall(request: ChatRequest): ToolCall | undefined {
  const tools = (request.tools ?? []).filter((t) => typeof t.function?.name === 'string');
  const choice = request.tool_choice;
  if (tools.length === 0 || choice === 'none') return undefined;
  // Like a model in an agent loop: call a tool first, answer in text once a tool result is in the prompt.
  if (request.messages.some((m) => m.role === 'tool') && choice !== 'required') return undefined;
  const wanted =
    typeof choice === 'object' && choice !== null
      ? (choice as { function?: { name?: string } }).function?.name
      : undefined;
  const tool = tools.find((t) => t.function?.name === wanted) ?? tools[0];
  if (tool?.function?.name === undefined) return undefined;
  const callIndex = request.messages.filter((m) => m.tool_calls !== undefined).length;
  return {
    id: `call_sim_${callIndex}`,
    name: tool.function.name,
    arguments: JSON.stringify(argumentsFor(tool.function.parameters, lastUserText(request.messages))),
  };
}

// Fills the required parameters with plausible values so the caller's own argument validation passes.
function argumentsFor(schema: JsonSchema | undefined, question: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const name of schema?.required ?? []) {
    args[name] = sampleValue(schema?.properties?.[name], question);
  }
  return args;
}

function sampleValue(schema: JsonSchema | undefined, question: string): unknown {
  const type = schema?.type;
  if (type === 'number' || type === 'integer') return 10;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'object') return argumentsFor(schema, question);
  return question;
}
