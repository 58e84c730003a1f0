/** The subset of an OpenAI chat message the simulator reads. */
export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: string;
}

/** A message's text, whether `content` is a string or an array of `{ type: 'text', text }` parts. */
export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : '',
    )
    .filter((text) => text !== '')
    .join('\n');
}

// AOC hands events to the model either as JSON (`"_id": "…"` / `"id": "…"`) or with `[event:<id>]` markers;
// both are scanned so the default answer can cite what it was given, in order of first appearance.
// A marker's id must start with a letter or digit, so placeholders in instructions (`[event:<id>]`) are not ids.
const ID_PATTERNS = [/\[event:([A-Za-z0-9][\w.:@-]*)\]/g, /"_?id"\s*:\s*"([^"]+)"/g];

/** Event ids found in the messages, deduplicated, in order of first appearance across all messages. */
export function findEventIds(messages: readonly ChatMessage[]): string[] {
  const found: { id: string; at: number }[] = [];
  messages.forEach((message, index) => {
    const text = messageText(message);
    for (const pattern of ID_PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const id = match[1];
        if (id !== undefined) found.push({ id, at: index * 1e9 + (match.index ?? 0) });
      }
    }
  });
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.id))];
}

/** The text of the last user message: what the answer treats as "the question". */
export function lastUserText(messages: readonly ChatMessage[]): string {
  const user = messages.findLast((m) => m.role === 'user');
  return user === undefined ? '' : messageText(user);
}

/** A rough token count (about four characters per token), stable across runs. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
