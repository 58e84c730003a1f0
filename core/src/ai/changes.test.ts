import { describe, expect, it } from 'vitest';
import { extractChanges } from './changes.js';

describe('extractChanges', () => {
  it('reads Graph directory audits, unwrapping JSON-encoded values', () => {
    const raw = {
      targetResources: [
        {
          displayName: 'Block legacy auth',
          modifiedProperties: [
            { displayName: 'State', oldValue: '["enabled"]', newValue: '"disabled"' },
            { displayName: 'Included users', oldValue: null, newValue: '[]' },
          ],
        },
      ],
    };
    expect(extractChanges(raw)).toEqual([
      { property: 'State', old: 'enabled', new: 'disabled', target: 'Block legacy auth' },
      { property: 'Included users', target: 'Block legacy auth' },
    ]);
  });

  it('reads Intune resources, Management Activity ModifiedProperties and Exchange parameters', () => {
    const raw = {
      resources: [
        {
          displayName: 'Laptop policy',
          modifiedProperties: [{ displayName: 'Enabled', oldValue: 'false', newValue: 'true' }],
        },
      ],
      ModifiedProperties: [{ Name: 'AccountEnabled', OldValue: '[true]', NewValue: '[false]' }],
      Parameters: [{ Name: 'ForwardingSmtpAddress', Value: 'smtp:x@evil.example' }],
    };
    expect(extractChanges(raw)).toEqual([
      { property: 'Enabled', old: 'false', new: 'true', target: 'Laptop policy' },
      { property: 'AccountEnabled', old: 'true', new: 'false' },
      { property: 'ForwardingSmtpAddress', new: 'smtp:x@evil.example' },
    ]);
  });

  it('cuts long values and ignores malformed entries', () => {
    const raw = { ModifiedProperties: [{ Name: 'Blob', NewValue: 'x'.repeat(1000) }, { Name: 42 }, 'junk'] };
    const [change, ...rest] = extractChanges(raw);
    expect(change?.new?.length).toBe(301);
    expect(rest).toEqual([]);
  });
});
