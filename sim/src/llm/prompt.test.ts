import { describe, expect, it } from 'vitest';
import { findEventIds, messageText } from './prompt.js';

describe('findEventIds', () => {
  it('returns ids once, in order of first appearance, across both notations, skipping placeholders', () => {
    const messages = [
      { role: 'system', content: 'Cite events as [event:<id>].' },
      { role: 'user', content: '[event:b] then {"_id":"a", "id": "c"} and again [event:a]' },
      { role: 'user', content: [{ type: 'text', text: '{"_id": "d"}' }, { type: 'image_url' }] },
    ];
    expect(findEventIds(messages)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('joins the text parts of array content and ignores other parts', () => {
    const content = [{ type: 'text', text: 'x' }, { type: 'image_url' }, { type: 'text', text: 'y' }];
    expect(messageText({ role: 'user', content })).toBe('x\ny');
  });
});
