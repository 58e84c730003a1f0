import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSearchTerms, MAX_SEARCH_TERMS, MAX_TERM_LENGTH, tokenizeSearch } from './search-terms.js';

describe('tokenizeSearch', () => {
  it.each([
    ['attacker@evil.com', ['attacker@evil.com', 'attacker', 'evil.com', 'evil', 'com']],
    ['smtp:Attacker@Evil.com', ['smtp:attacker@evil.com', 'attacker@evil.com', 'evil.com', 'smtp']],
    ['user@mail.evil.com', ['mail.evil.com', 'evil.com']],
    ['NT AUTHORITY\\SYSTEM', ['nt', 'authority\\system', 'authority', 'system']],
    [
      'https://northwind.sharepoint.com/sites/Finance/Q3 forecast.xlsx',
      ['northwind.sharepoint.com', 'sharepoint.com', 'finance', 'q3', 'forecast.xlsx', 'xlsx'],
    ],
    [
      'Set-Mailbox -ForwardingSmtpAddress "x@y.org"',
      ['set-mailbox', 'set', 'mailbox', 'forwardingsmtpaddress', 'x@y.org', 'y.org'],
    ],
    ['Grüße aus Köln', ['grüße', 'aus', 'köln']],
  ])('splits %s into whole words and their parts', (text, expected) => {
    expect(tokenizeSearch(text)).toEqual(expect.arrayContaining(expected));
  });

  it('keeps a GUID whole and an IP address whole, without their number runs', () => {
    const tokens = tokenizeSearch('2C6709F0-BEAF-4ffd-99ea-d02c796c25d3 from 10.20.30.40');
    expect(tokens).toEqual(['2c6709f0-beaf-4ffd-99ea-d02c796c25d3', 'from', '10.20.30.40']);
  });

  it('drops one-character tokens and cuts long ones', () => {
    const tokens = tokenizeSearch(`a b ${'z'.repeat(100)}`);
    expect(tokens).toEqual(['z'.repeat(MAX_TERM_LENGTH)]);
  });

  it('lets any word of a value find the record holding that value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }), { minLength: 1, maxLength: 8 }),
        (words) => {
          const value = words.join(' ');
          const terms = new Set(buildSearchTerms([], { value }));
          for (const word of words)
            for (const token of tokenizeSearch(word)) expect(terms.has(token)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('buildSearchTerms', () => {
  it('reads every string value, recursively, but not keys or numbers', () => {
    const terms = buildSearchTerms(['Exchange'], {
      Parameters: [{ Name: 'ForwardingSmtpAddress', Value: 'smtp:attacker@evil.com' }],
      Nested: { deeper: ['SecretProject'] },
      Count: 12345,
    });
    expect(terms[0]).toBe('exchange');
    expect(terms).toEqual(
      expect.arrayContaining(['forwardingsmtpaddress', 'attacker@evil.com', 'secretproject']),
    );
    expect(terms).not.toContain('parameters');
    expect(terms).not.toContain('12345');
  });

  it('leaves out tenant-wide ids that would match every record', () => {
    const terms = buildSearchTerms([], {
      OrganizationId: '8f1c2a34-5b6d-4e7f-9a0b-1c2d3e4f5a6b',
      UserId: 'a@b.example',
    });
    expect(terms).not.toContain('8f1c2a34-5b6d-4e7f-9a0b-1c2d3e4f5a6b');
    expect(terms).toContain('a@b.example');
  });
});

// Pinned orders: the term cap keeps an event's FIRST tokens, so the order is part of what is indexed.
describe('tokenizeSearch order and edges', () => {
  it.each([
    [
      'smtp:Attacker@Mail.Evil.com',
      [
        'smtp:attacker@mail.evil.com',
        'smtp',
        'attacker',
        'mail',
        'evil',
        'com',
        'attacker@mail.evil.com',
        'mail.evil.com',
        'evil.com',
      ],
    ],
    ['/path/to/File.TXT', ['path/to/file.txt', 'path', 'to', 'file', 'txt', 'file.txt']],
    ['a@b@c.d.com', ['a@b@c.d.com', 'com', 'c.d.com', 'd.com']],
    ['x.y@z:w.v.org', ['x.y@z:w.v.org', 'org', 'x.y@z', 'x.y', 'w.v.org', 'v.org']],
    ['..a..b.com..', ['a..b.com', 'com', '.b.com', 'b.com']],
    ['ID 2C6709F0-BEAF-4ffd-99ea-d02c796c25d3.', ['id', '2c6709f0-beaf-4ffd-99ea-d02c796c25d3']],
  ])('gives %s the word, its atoms, then its parts and suffixes', (text, expected) => {
    expect(tokenizeSearch(text)).toEqual(expected);
  });

  it('cuts a word, its parts and its suffixes at the length cap, each on its own', () => {
    const long = 'a'.repeat(70);
    expect(tokenizeSearch(`${long}.example.com`)).toEqual(['a'.repeat(64), 'example', 'com', 'example.com']);
    const url = 'https://northwind.sharepoint.com:443/sites/Finance/Q3.forecast.xlsx?x=1';
    const tokens = tokenizeSearch(url);
    expect(tokens[0]).toBe(url.toLowerCase().slice(0, 64));
    expect(tokens).toEqual(
      expect.arrayContaining([
        'northwind.sharepoint.com',
        'sharepoint.com',
        'q3.forecast.xlsx',
        'forecast.xlsx',
      ]),
    );
  });

  it('puts the atoms past the 64th ahead of the word, keeping their digit runs', () => {
    const numbers = Array.from({ length: 66 }, (_, i) => String(10 + i)).join('.');
    expect(tokenizeSearch(numbers)).toEqual(['74', '75', numbers.slice(0, 64)]);
    const words = Array.from({ length: 66 }, (_, i) => `w${i}`);
    expect(tokenizeSearch(words.join('-'))).toEqual([
      'w64',
      'w65',
      words.join('-').slice(0, 64),
      ...words.slice(0, 64),
    ]);
  });

  it('cuts by UTF-16 units after lower-casing, even where lower-casing lengthens the text', () => {
    // `İ` lower-cases to `i` plus a combining dot: two units for one.
    expect(tokenizeSearch('İstanbul')).toEqual(['i̇stanbul']);
    expect(tokenizeSearch('İ'.repeat(40))).toEqual(['i̇'.repeat(32)]);
    expect(tokenizeSearch('\u212Aelvin')).toEqual(['kelvin']);
  });

  it('yields only distinct lower-cased substrings of 2 to 64 units, word by word', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({
            unit: fc.constantFrom('a', 'B', '1', '.', '@', ':', '/', '-', 'é', 'İ'),
            maxLength: 90,
          }),
          { maxLength: 6 },
        ),
        (words) => {
          const text = words.join(' ');
          const tokens = tokenizeSearch(text);
          expect(new Set(tokens).size).toBe(tokens.length);
          for (const token of tokens) {
            expect(token.length).toBeGreaterThanOrEqual(2);
            expect(token.length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
            expect(text.toLowerCase()).toContain(token);
          }
          const byWord = [...new Set(words.flatMap((word) => tokenizeSearch(word)))];
          expect(tokens).toEqual(byWord);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('buildSearchTerms repeats and ids', () => {
  it('indexes a value repeated in another case or field once, and a GUID value whole in lower case', () => {
    const terms = buildSearchTerms(['Alice Admin', 'Set-Mailbox'], {
      UserId: 'ALICE@contoso.com',
      Actor: 'alice@contoso.com',
      Id: 'ABCDEF01-2345-6789-ABCD-EF0123456789',
      Op: 'set-mailbox',
    });
    expect(terms).toEqual([
      'alice',
      'admin',
      'set-mailbox',
      'set',
      'mailbox',
      'alice@contoso.com',
      'contoso',
      'com',
      'contoso.com',
      'abcdef01-2345-6789-abcd-ef0123456789',
    ]);
  });

  it('keeps the first tokens when a record has more than the cap, whatever repeats', () => {
    const words = Array.from({ length: 600 }, (_, i) => `word${i}`);
    const terms = buildSearchTerms(['Summary'], { a: words.join(' '), b: words.join(' '), c: 'late' });
    expect(terms).toEqual(['summary', ...words.slice(0, MAX_SEARCH_TERMS - 1)]);
  });
});
