/** Escape every regex metacharacter: user text placed inside a regex is always a literal. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
