/** Free text split the way people type it into a search box. */
export interface ParsedSearch {
  /** Whole words (outside quotes). */
  words: string[];
  /** "Quoted phrases", without the quotes. */
  phrases: string[];
  /** The last word when the text does not end in a space or quote: the user may still be typing it. */
  prefix: string | undefined;
}

/** Split search text into words, quoted phrases and a trailing prefix. An unbalanced quote is ignored. */
export function parseSearchText(text: string): ParsedSearch {
  const phrases: string[] = [];
  const balanced = (text.match(/"/g)?.length ?? 0) % 2 === 0 ? text : text.replace(/"(?=[^"]*$)/, ' ');
  const rest = balanced.replace(/"([^"]*)"/g, (_match, phrase: string) => {
    if (phrase.trim()) phrases.push(phrase.trim());
    return ' ';
  });
  const words = rest.split(/\s+/).filter((word) => word.length > 0);
  const open = /[^\s"]$/.test(balanced) && words.length > 0;
  const prefix = open ? words.pop() : undefined;
  return { words, phrases, prefix };
}
