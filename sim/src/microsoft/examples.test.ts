import { describe, expect, it } from 'vitest';
import { exampleRecords } from './examples.js';

describe('exampleRecords', () => {
  it('gives the requested number of records for every source, the same for the same seed', () => {
    const a = exampleRecords({ seed: 2, perSource: 30 });
    const b = exampleRecords({ seed: 2, perSource: 30 });
    expect(Object.keys(a).sort()).toEqual([
      'Audit.AzureActiveDirectory',
      'Audit.Exchange',
      'Audit.General',
      'Audit.SharePoint',
      'DLP.All',
      'directoryAudits',
      'intuneAuditEvents',
    ]);
    for (const records of Object.values(a)) expect(records).toHaveLength(30);
    expect(a).toEqual(b);
    expect(a['Audit.Exchange'].some((r) => r.Operation === 'Set-Mailbox')).toBe(true);
    expect(a.directoryAudits.every((r) => typeof r.activityDateTime === 'string')).toBe(true);
  });
});
