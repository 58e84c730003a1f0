import { describe, expect, it } from 'vitest';
import { parseQuestion } from './plan-query.js';
import type { Vocabulary } from './vocabulary.js';

// Wednesday 18 November 2026, 15:30 UTC; that week began on Monday the 16th.
const NOW = new Date('2026-11-18T15:30:00Z');
const NOW_ISO = NOW.toISOString();
const DEFAULT_START = '2026-11-11T15:30:00.000Z';

const VOCABULARY: Vocabulary = {
  actors: [
    'alice@contoso.com',
    'admin@contoso.com',
    'Bob Jones',
    'Microsoft Graph',
    'svc-backup@contoso.com',
    'System',
  ],
  targets: [
    'Finance Team',
    'Global Administrator',
    'Block legacy auth',
    'HR-Laptop-042',
    'carol@contoso.com',
  ],
  services: [
    'Policies',
    'Exchange',
    'SharePoint',
    'Intune Devices',
    'Role Management',
    'Group Management',
    'Teams',
  ],
  operations: [
    'Update conditional access policy',
    'Add conditional access policy',
    'Add member to role',
    'Remove member from role',
    'Set-Mailbox',
    'Add-MailboxPermission',
    'New-InboxRule',
    'Reset user password',
    'Add member to group',
    'Consent to application',
    'Update application – Certificates and secrets management',
    'Add service principal',
    'Delete device',
    'SharingSet',
    'Invite external user',
    'Update user',
  ],
  results: ['success', 'failure', 'partial', 'timeout'],
};

interface Expected {
  start: string;
  end?: string;
  actors?: string[];
  entities?: string[];
  operation?: string[];
  result?: string[];
  service?: string[];
  source?: string[];
  search?: string;
}

const CA = ['Update conditional access policy', 'Add conditional access policy'];
const ROLES = ['Add member to role', 'Remove member from role'];

const CASES: [question: string, expected: Expected][] = [
  // Time ranges: rolling windows, calendar periods, chrono dates, open and closed ranges, the default.
  [
    'who changed conditional access policies last week?',
    { start: '2026-11-09T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z', operation: CA },
  ],
  ['what happened yesterday', { start: '2026-11-17T00:00:00.000Z', end: '2026-11-18T00:00:00.000Z' }],
  ["show me today's events", { start: '2026-11-18T00:00:00.000Z' }],
  ['events in the last 24 hours', { start: '2026-11-17T15:30:00.000Z' }],
  ['last 3 days', { start: '2026-11-15T15:30:00.000Z' }],
  ['anything in the past two weeks?', { start: '2026-11-04T15:30:00.000Z' }],
  ['in the past week', { start: DEFAULT_START }],
  ['last month', { start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' }],
  ['this month', { start: '2026-11-01T00:00:00.000Z' }],
  ['this week', { start: '2026-11-16T00:00:00.000Z' }],
  ['previous week', { start: '2026-11-09T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' }],
  ['the last hour', { start: '2026-11-18T14:30:00.000Z' }],
  ['in the last 90 minutes', { start: '2026-11-18T14:00:00.000Z' }],
  ['past 6 months', { start: '2026-05-18T15:30:00.000Z' }],
  ['last year', { start: '2025-01-01T00:00:00.000Z', end: '2026-01-01T00:00:00.000Z' }],
  ['this quarter', { start: '2026-10-01T00:00:00.000Z' }],
  ['last quarter', { start: '2026-07-01T00:00:00.000Z', end: '2026-10-01T00:00:00.000Z' }],
  ['sign-ins on 2026-11-02 at 10:00', { start: '2026-11-02T10:00:00.000Z', end: '2026-11-02T11:00:00.000Z' }],
  ['changes in March', { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' }],
  ['changes during December', { start: '2025-12-01T00:00:00.000Z', end: '2026-01-01T00:00:00.000Z' }],
  ['in March 2025', { start: '2025-03-01T00:00:00.000Z', end: '2025-04-01T00:00:00.000Z' }],
  ['what happened on May 3', { start: '2026-05-03T00:00:00.000Z', end: '2026-05-04T00:00:00.000Z' }],
  ['between May 1 and May 5', { start: '2026-05-01T00:00:00.000Z', end: '2026-05-06T00:00:00.000Z' }],
  [
    'role changes between 2026-11-01 and 2026-11-03',
    { start: '2026-11-01T00:00:00.000Z', end: '2026-11-04T00:00:00.000Z', operation: ROLES },
  ],
  ['from 2026-10-01 to 2026-10-03', { start: '2026-10-01T00:00:00.000Z', end: '2026-10-04T00:00:00.000Z' }],
  ['since 2026-11-01', { start: '2026-11-01T00:00:00.000Z' }],
  ['since Friday', { start: '2026-11-13T00:00:00.000Z' }],
  ['since last Monday', { start: '2026-11-16T00:00:00.000Z' }],
  ['since yesterday', { start: '2026-11-17T00:00:00.000Z' }],
  ['after Nov 10', { start: '2026-11-10T00:00:00.000Z' }],
  ['since last week', { start: '2026-11-09T00:00:00.000Z' }],
  ['failures since 10am today', { start: '2026-11-18T10:00:00.000Z', result: ['failure'] }],
  ['what happened 2 days ago', { start: '2026-11-16T00:00:00.000Z', end: '2026-11-17T00:00:00.000Z' }],
  ['events', { start: DEFAULT_START }],
  // Entities: UPNs, known names, short names of known actors, quoted names; "by" makes an actor.
  [
    'failed sign-in policy changes by admin@contoso.com since Monday',
    { start: '2026-11-16T00:00:00.000Z', actors: ['admin@contoso.com'], result: ['failure'], operation: CA },
  ],
  [
    'what did alice do yesterday',
    { start: '2026-11-17T00:00:00.000Z', end: '2026-11-18T00:00:00.000Z', actors: ['alice@contoso.com'] },
  ],
  ['changes by Bob today', { start: '2026-11-18T00:00:00.000Z', actors: ['Bob Jones'] }],
  [
    'what happened to Finance Team this week',
    { start: '2026-11-16T00:00:00.000Z', entities: ['Finance Team'] },
  ],
  ['who was added to Global Administrator', { start: DEFAULT_START, entities: ['Global Administrator'] }],
  [
    'changes to carol@contoso.com by svc-backup@contoso.com',
    { start: DEFAULT_START, actors: ['svc-backup@contoso.com'], entities: ['carol@contoso.com'] },
  ],
  ['Who may have changed Block legacy auth?', { start: DEFAULT_START, entities: ['Block legacy auth'] }],
  [
    'anything on HR-Laptop-042 in the last 2 days',
    { start: '2026-11-16T15:30:00.000Z', entities: ['HR-Laptop-042'] },
  ],
  ['activity of "Finance Team" in the last 7 days', { start: DEFAULT_START, entities: ['Finance Team'] }],
  ['what did the System do', { start: DEFAULT_START }],
  [
    'role assignments by Microsoft Graph',
    { start: DEFAULT_START, actors: ['Microsoft Graph'], operation: ROLES },
  ],
  // Hints: results, services and sources, topics matched to known operations (or searched when none is known).
  ['failed operations in Exchange', { start: DEFAULT_START, result: ['failure'], service: ['Exchange'] }],
  [
    'successful SharePoint sharing',
    { start: DEFAULT_START, result: ['success'], service: ['SharePoint'], operation: ['SharingSet'] },
  ],
  ['partially succeeded operations', { start: DEFAULT_START, result: ['partial'] }],
  ['operations that timed out', { start: DEFAULT_START, result: ['timeout'] }],
  ['Intune device deletions', { start: DEFAULT_START, source: ['intune'], operation: ['Delete device'] }],
  ['who reset passwords', { start: DEFAULT_START, operation: ['Reset user password'] }],
  ['mfa changes', { start: DEFAULT_START, search: 'authentication' }],
  ['new inbox rules', { start: DEFAULT_START, operation: ['New-InboxRule'] }],
  ['who ran Set-Mailbox', { start: DEFAULT_START, operation: ['Set-Mailbox'], service: ['Exchange'] }],
  ['app consent grants', { start: DEFAULT_START, operation: ['Consent to application'] }],
  [
    'client secret added to an app registration',
    { start: DEFAULT_START, operation: ['Update application – Certificates and secrets management'] },
  ],
  [
    'guest invitations last month',
    {
      start: '2026-10-01T00:00:00.000Z',
      end: '2026-11-01T00:00:00.000Z',
      operation: ['Invite external user'],
    },
  ],
  ['group membership changes', { start: DEFAULT_START, operation: ['Add member to group'] }],
  ['Teams changes', { start: DEFAULT_START, service: ['Teams'] }],
  ['mail flow rules', { start: DEFAULT_START, search: 'TransportRule' }],
];

describe('parseQuestion (fixed clock: Wed 2026-11-18 15:30 UTC)', () => {
  it('covers at least 40 questions', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s', (question, expected) => {
    const parsed = parseQuestion(question, NOW, VOCABULARY);
    expect({
      start: parsed.range.start.toISOString(),
      end: parsed.range.end.toISOString(),
      actors: parsed.entities.actors,
      entities: parsed.entities.entities,
      operation: parsed.hints.operation,
      result: parsed.hints.result,
      service: parsed.hints.service,
      source: parsed.hints.source,
      search: parsed.hints.search,
    }).toEqual({
      start: expected.start,
      end: expected.end ?? NOW_ISO,
      actors: expected.actors ?? [],
      entities: expected.entities ?? [],
      operation: expected.operation,
      result: expected.result,
      service: expected.service,
      source: expected.source,
      search: expected.search,
    });
  });

  it('marks the default range as such and a named one as read from the question', () => {
    expect(parseQuestion('who did what', NOW, VOCABULARY).range).toMatchObject({ from: 'default' });
    expect(parseQuestion('who did what today', NOW, VOCABULARY).range).toMatchObject({
      from: 'question',
      label: 'today',
    });
  });
});
