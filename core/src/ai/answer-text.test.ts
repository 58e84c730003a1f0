import { describe, expect, it } from 'vitest';
import { checkCitations, MAX_ANSWER_CHARS, sanitizeAnswer } from './answer-text.js';

describe('sanitizeAnswer', () => {
  it('removes images, HTML and URLs, and keeps the text of Markdown links', () => {
    const text =
      'See ![pixel](https://evil.example/p.png)<b>this</b> [the doc](https://evil.example/d) or http://x.example/?q=1.';
    expect(sanitizeAnswer(text)).toBe('See this the doc or [link removed]');
  });

  it('keeps citation markers', () => {
    expect(sanitizeAnswer('Changed [event:abc123].')).toBe('Changed [event:abc123].');
  });

  it('cuts long answers on a word boundary, never inside a citation', () => {
    const long = `${'word '.repeat(MAX_ANSWER_CHARS / 5 - 3)}[event:6b031eecec62773e87c9d605] more text`;
    const cut = sanitizeAnswer(long);
    expect(cut.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS + 1);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/\[event:[^\]]*…$/);
  });
});

describe('checkCitations', () => {
  it('keeps retrieved ids in order, drops and counts the others', () => {
    const checked = checkCitations(
      'A [event:b] B [event:x] C [event:a] D [event:b] E [event:y].',
      new Set(['a', 'b']),
    );
    expect(checked.cited).toEqual(['b', 'a']);
    expect(checked.dropped).toBe(2);
    expect(checked.text).toBe('A [event:b] B C [event:a] D [event:b] E.');
  });
});
