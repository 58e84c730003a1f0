import { describe, expect, it } from 'vitest';
import { decodeValue, diffProperty, extractChanges } from './diff.js';

describe('decodeValue', () => {
  it('decodes JSON-encoded strings and lists', () => {
    expect(decodeValue('"Global Administrator"')).toEqual({
      present: true,
      text: 'Global Administrator',
      items: null,
    });
    expect(decodeValue('["a","b"]')).toEqual({ present: true, text: 'a\nb', items: ['a', 'b'] });
  });

  it('treats null, "", "[]" and "\\"\\"" as absent', () => {
    for (const value of [null, undefined, '', '[]', '""', '  '])
      expect(decodeValue(value).present).toBe(false);
  });

  it('keeps plain text and broken JSON verbatim', () => {
    expect(decodeValue('8/9/2024 6:29:00 PM').text).toBe('8/9/2024 6:29:00 PM');
    expect(decodeValue('[not json').text).toBe('[not json');
  });

  it('pretty-prints objects', () => {
    expect(decodeValue('{"a":1}').text).toBe('{\n  "a": 1\n}');
  });
});

describe('diffProperty', () => {
  it('classifies added, removed, changed and unchanged values', () => {
    expect(diffProperty('t', 'p', null, '"x"').kind).toBe('added');
    expect(diffProperty('t', 'p', '"x"', '[]').kind).toBe('removed');
    expect(diffProperty('t', 'p', '"x"', '"y"').kind).toBe('changed');
    expect(diffProperty('t', 'p', '"x"', 'x').kind).toBe('unchanged');
  });

  it('lists which elements of a list were added and removed', () => {
    const change = diffProperty('Group', 'Members', '["alice","bob"]', '["bob","carol"]');
    expect(change.addedItems).toEqual(['carol']);
    expect(change.removedItems).toEqual(['alice']);
  });

  it('does not itemize scalar changes', () => {
    const change = diffProperty('t', 'p', '"x"', '"y"');
    expect(change.addedItems).toEqual([]);
    expect(change.removedItems).toEqual([]);
  });
});

describe('extractChanges', () => {
  it('reads Graph directory audits per target resource', () => {
    const raw = {
      targetResources: [
        {
          displayName: 'Helpdesk',
          modifiedProperties: [
            { displayName: 'Role.DisplayName', oldValue: null, newValue: '"Helpdesk Administrator"' },
          ],
        },
        { userPrincipalName: 'bob@contoso.com', modifiedProperties: [] },
      ],
    };
    expect(extractChanges(raw)).toEqual([
      expect.objectContaining({ target: 'Helpdesk', property: 'Role.DisplayName', kind: 'added' }),
    ]);
  });

  it('reads Intune resources and Management Activity ModifiedProperties', () => {
    const intune = {
      resources: [
        {
          displayName: 'Policy',
          modifiedProperties: [{ displayName: 'Limit', oldValue: '5', newValue: '10' }],
        },
      ],
    };
    expect(extractChanges(intune)[0]).toMatchObject({ target: 'Policy', property: 'Limit', kind: 'changed' });
    const unified = {
      ObjectId: 'app-1',
      ModifiedProperties: [{ Name: 'Scopes', OldValue: '[]', NewValue: '["Mail.Read"]' }],
    };
    expect(extractChanges(unified)[0]).toMatchObject({
      target: 'app-1',
      property: 'Scopes',
      kind: 'added',
      addedItems: ['Mail.Read'],
    });
  });

  it('finds nothing in records without changes or malformed lists', () => {
    expect(extractChanges({ Operation: 'MailItemsAccessed' })).toEqual([]);
    expect(extractChanges({ targetResources: 'oops', ModifiedProperties: [1, null] })).toEqual([]);
    expect(extractChanges(null)).toEqual([]);
  });
});
