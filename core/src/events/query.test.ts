import { BSON, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { escapeRegex } from './escape-regex.js';
import { buildEventFilter, buildListQuery } from './query.js';
import { buildTextFilter } from './text-query.js';

describe('buildTextFilter', () => {
  it('requires complete words and matches the word being typed as an anchored prefix', () => {
    expect(buildTextFilter('Set-Mailbox attacker@evil.c')).toEqual([
      { search_terms: { $all: ['set-mailbox', 'attacker'] } },
      { search_terms: /^evil\.c/ },
    ]);
    expect(buildTextFilter('attacker@evil.com ')).toEqual([
      { search_terms: { $all: ['attacker', 'evil.com'] } },
    ]);
    expect(buildTextFilter('attacker@')).toEqual([{ search_terms: { $all: ['attacker'] } }]);
  });

  it('checks quoted phrases verbatim in the summary or raw record, on top of their terms', () => {
    const [terms, phrase] = buildTextFilter('"reset password" ');
    expect(terms).toEqual({ search_terms: { $all: ['reset', 'password'] } });
    expect(phrase).toEqual({
      $or: [{ display_summary: /reset password/i }, { raw_text: /reset password/i }],
    });
  });

  it('escapes regex metacharacters so a pathological pattern is a plain literal', () => {
    const literal = new RegExp(escapeRegex('(a+)+$ [x] .* ^{2} \\ /|?'));
    expect(literal.test('(a+)+$ [x] .* ^{2} \\ /|?')).toBe(true);
    expect(literal.test('aaaa')).toBe(false);
    expect(buildTextFilter('"(a+)+$"')).toContainEqual({
      $or: [{ display_summary: /\(a\+\)\+\$/i }, { raw_text: /\(a\+\)\+\$/i }],
    });
    expect(buildTextFilter('c:\\temp\\evil.ps1 file.t')).toContainEqual({ search_terms: /^file\.t/ });
  });

  it('keeps a NUL byte in user text a literal the driver can send (a BSON regex cannot hold one raw)', () => {
    const filter = buildEventFilter({ entity: 'a\0b', actor: ['\0'] });
    expect(() => BSON.serialize(filter)).not.toThrow();
    const literal = new RegExp(escapeRegex('a\0b'));
    expect(literal.test('xa\0b')).toBe(true);
    expect(literal.test('a0b')).toBe(false);
    for (const clause of buildTextFilter('"a\0b" c\0')) expect(() => BSON.serialize(clause)).not.toThrow();
  });

  it('never emits an unanchored regex on search_terms', () => {
    for (const text of ['a', 'foo.bar*', '"x y" z', 'alice bob carol dave', '{"$gt":""}']) {
      for (const clause of buildTextFilter(text)) {
        const value = (clause as { search_terms?: unknown }).search_terms;
        if (value instanceof RegExp) expect(value.source.startsWith('^')).toBe(true);
      }
    }
  });

  it('adds nothing for text without searchable tokens', () => {
    expect(buildTextFilter('- . !')).toEqual([]);
  });
});

describe('buildEventFilter', () => {
  it('turns filters into literal equality, $in and date bounds', () => {
    const start = new Date('2024-05-01T00:00:00Z');
    expect(buildEventFilter({ service: ['Exchange'], result: ['success', 'failure'], start })).toEqual({
      service: 'Exchange',
      result: { $in: ['success', 'failure'] },
      timestamp: { $gte: start },
    });
  });

  it('matches actors exactly without case, and entities by prefix of actor or target', () => {
    const filter = buildEventFilter({ actor: ['Alice.Smith@contoso.com'], entity: 'bob' }) as Record<
      string,
      unknown
    >;
    const [actor] = (filter.actor_display as { $in: RegExp[] }).$in;
    expect(actor!.test('alice.smith@contoso.com')).toBe(true);
    expect(actor!.test('alicexsmith@contoso.com')).toBe(false);
    expect(actor!.test('alice.smith@contoso.com.evil')).toBe(false);
    expect(filter.$and).toEqual([{ $or: [{ actor_display: /^bob/i }, { target_displays: /^bob/i }] }]);
  });

  it('resumes strictly after a cursor position in (timestamp desc, _id desc) order', () => {
    const position = {
      timestamp: new Date('2024-05-01T00:00:00Z'),
      id: new ObjectId('65f1a2b3c4d5e6f7a8b9c0d1'),
    };
    const { filter, sort } = buildListQuery({ service: ['Exchange'] }, position);
    expect(sort).toEqual({ timestamp: -1, _id: -1 });
    expect(filter.$and).toEqual([
      {
        $or: [
          { timestamp: { $lt: position.timestamp } },
          { timestamp: position.timestamp, _id: { $lt: position.id } },
        ],
      },
    ]);
  });
});
