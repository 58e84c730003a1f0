import { describe, expect, it } from 'vitest';
import { parseSearchText } from './parse-search-text.js';

describe('parseSearchText', () => {
  it('treats the last word as a prefix while it is being typed', () => {
    expect(parseSearchText('alice mailb')).toEqual({ words: ['alice'], phrases: [], prefix: 'mailb' });
    expect(parseSearchText('alice mailbox ')).toEqual({
      words: ['alice', 'mailbox'],
      phrases: [],
      prefix: undefined,
    });
  });

  it('pulls out quoted phrases and ignores an unbalanced quote', () => {
    expect(parseSearchText('"reset password" bob')).toEqual({
      words: [],
      phrases: ['reset password'],
      prefix: 'bob',
    });
    expect(parseSearchText('bob "reset password"')).toEqual({
      words: ['bob'],
      phrases: ['reset password'],
      prefix: undefined,
    });
    expect(parseSearchText('bob "reset')).toEqual({ words: ['bob'], phrases: [], prefix: 'reset' });
    expect(parseSearchText('   ')).toEqual({ words: [], phrases: [], prefix: undefined });
  });
});
