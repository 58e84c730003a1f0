import { describe, expect, it } from 'vitest';
import { segmentAnswer } from './answer.js';

describe('segmentAnswer', () => {
  it('links cited event ids, bare or marked', () => {
    expect(segmentAnswer('See [event:abc] and abc2.', ['abc', 'abc2'])).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'event', id: 'abc', text: 'abc' },
      { kind: 'text', text: ' and ' },
      { kind: 'event', id: 'abc2', text: 'abc2' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never links anything that is not a cited event', () => {
    const answer = 'Click [here](https://evil.test) or <a href="https://evil.test">x</a> or event zzz';
    expect(segmentAnswer(answer, ['abc'])).toEqual([{ kind: 'text', text: answer }]);
    expect(segmentAnswer(answer, [])).toEqual([{ kind: 'text', text: answer }]);
  });

  it('treats regex characters in ids literally', () => {
    expect(segmentAnswer('x a.c y abc', ['a.c'])).toEqual([
      { kind: 'text', text: 'x ' },
      { kind: 'event', id: 'a.c', text: 'a.c' },
      { kind: 'text', text: ' y abc' },
    ]);
  });

  it('gives nothing for an empty answer', () => {
    expect(segmentAnswer('', ['a'])).toEqual([]);
  });
});
