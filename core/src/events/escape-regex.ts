/**
 * Escape every regex metacharacter: user text placed inside a regex is always a literal. NUL becomes `\x00`
 * too: a BSON regex is a C string, so the driver refuses to send a pattern holding a raw NUL byte.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&').replace(/\0/g, '\\x00');
}
