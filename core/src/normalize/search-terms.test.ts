import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSearchTerms, MAX_TERM_LENGTH, tokenizeSearch } from './search-terms.js';

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
