/** A piece of an AI answer: plain text, or a reference to an event the answer cites. */
export type AnswerSegment = { kind: 'text'; text: string } | { kind: 'event'; id: string; text: string };

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Splits a model's answer into text and links. Only ids of events the API says the answer cites become links
 * (to the console's own event pages); anything else — URLs, markdown, HTML — stays inert text, so a prompt-
 * injected answer cannot send the analyst anywhere. A cited id may appear bare or as `[event:ID]`.
 */
export function segmentAnswer(answer: string, citedIds: readonly string[]): AnswerSegment[] {
  const ids = [...new Set(citedIds.filter((id) => id.length > 0))].sort((a, b) => b.length - a.length);
  if (!ids.length || !answer) return answer ? [{ kind: 'text', text: answer }] : [];
  const alternatives = ids.map(escapeRegex).join('|');
  const pattern = new RegExp(`\\[event:(${alternatives})\\]|(${alternatives})`, 'g');
  const segments: AnswerSegment[] = [];
  let last = 0;
  for (const match of answer.matchAll(pattern)) {
    const index = match.index;
    if (index > last) segments.push({ kind: 'text', text: answer.slice(last, index) });
    const id = match[1] ?? match[2] ?? '';
    segments.push({ kind: 'event', id, text: id });
    last = index + match[0].length;
  }
  if (last < answer.length) segments.push({ kind: 'text', text: answer.slice(last) });
  return segments;
}
