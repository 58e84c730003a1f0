/** Longest answer AOC returns, in characters (about 600 words); the model is also asked to stay short. */
export const MAX_ANSWER_CHARS = 4000;

const CITATION = /\[event:([^\]\s]{1,256})\]/g;

/**
 * Model output made safe to show as text: HTML tags and Markdown images removed, Markdown links reduced to
 * their text, and bare URLs replaced, so an answer can never load a resource or send the reader elsewhere
 * (links in the console point only to AOC's own events, built from the citations). Cut at
 * {@link MAX_ANSWER_CHARS} on a word boundary.
 */
export function sanitizeAnswer(text: string): string {
  let clean = text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\((?:[^)]*)\)/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/\b(?:https?|ftp|file|data|javascript):\/*[^\s)\]]+/gi, '[link removed]')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (clean.length > MAX_ANSWER_CHARS) {
    const head = clean.slice(0, MAX_ANSWER_CHARS);
    const space = head.lastIndexOf(' ');
    clean = `${(space > MAX_ANSWER_CHARS * 0.8 ? head.slice(0, space) : head).replace(/\[event:[^\]]*$/, '').trimEnd()}…`;
  }
  return clean;
}

/** An answer with its citations checked against the events that were actually retrieved. */
export interface CheckedCitations {
  text: string;
  /** Ids cited and retrieved, in order of first citation. */
  cited: string[];
  /** How many citations named an id outside the retrieved set (removed from the text). */
  dropped: number;
}

/**
 * Keep only citations of retrieved events: a `[event:<id>]` whose id is not in `allowed` is removed from the
 * text and counted, so every citation left leads to a real event of the match.
 */
export function checkCitations(text: string, allowed: ReadonlySet<string>): CheckedCitations {
  const cited: string[] = [];
  let dropped = 0;
  const checked = text.replace(CITATION, (marker, id: string) => {
    if (!allowed.has(id)) {
      dropped += 1;
      return '';
    }
    if (!cited.includes(id)) cited.push(id);
    return marker;
  });
  return { text: checked.replace(/[ \t]+([.,;:])/g, '$1').replace(/[ \t]{2,}/g, ' '), cited, dropped };
}
