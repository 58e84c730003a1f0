import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NormalizedEvent } from '../events/model.js';
import { loadMappings } from '../mappings/load-mappings.js';
import type { FixtureCase } from './fixtures/corpus.test-helpers.js';
import { loadFixtureCases, REPO_ROOT } from './fixtures/corpus.test-helpers.js';
import type { NormalizeContext } from './normalize-event.js';
import { normalizeEvent } from './normalize-event.js';
import { MAX_SEARCH_TERMS, MAX_TERM_LENGTH, tokenizeSearch } from './search-terms.js';

const mappings = loadMappings(`${REPO_ROOT}/mappings.yml`);
const cases = loadFixtureCases();
const RECEIVED = new Date('2026-12-01T00:00:00Z');

function contextOf(c: FixtureCase): NormalizeContext {
  const ctx: NormalizeContext = { mappings, receivedAt: RECEIVED };
  if (c.contentType !== undefined) ctx.contentType = c.contentType;
  if (c.names !== undefined) ctx.names = new Map(Object.entries(c.names));
  return ctx;
}

function run(c: FixtureCase) {
  return normalizeEvent(c.raw, c.source, contextOf(c));
}

function fixture(file: string, name: string): FixtureCase {
  const found = cases.find((c) => c.file === file && c.name.startsWith(name));
  if (found === undefined) throw new Error(`no fixture ${file}/${name}`);
  return found;
}

describe('normalizeEvent over the committed fixtures', () => {
  it('has a fixture for every source family and content type', () => {
    const families = new Set(cases.map((c) => c.file));
    expect([...families].sort()).toEqual([
      'diagnostic-envelope',
      'graph-directory',
      'graph-intune',
      'mgmt-azure-ad',
      'mgmt-dlp',
      'mgmt-exchange',
      'mgmt-general',
      'mgmt-sharepoint',
      'unknown-shape',
    ]);
  });

  it.each(cases.map((c) => [`${c.file}: ${c.name}`, c] as const))('%s', (_, c) => {
    const event = run(c);
    expect({
      service: event.service,
      operation: event.operation,
      result: event.result,
      actor_display: event.actor_display,
      target_displays: event.target_displays,
      display_summary: event.display_summary,
    }).toEqual(c.expected);
    expect(NormalizedEvent.parse(event)).toBeTruthy();
    expect(Number.isNaN(event.timestamp.getTime())).toBe(false);
    expect(event.raw).toBe(c.raw);
    expect(event.raw_text).toBe(JSON.stringify(c.raw));
    expect(event.unknown_shape === true).toBe(c.file === 'unknown-shape');
    expect(run(c).dedupe_key).toBe(event.dedupe_key);
  });
});

describe('dedupe keys', () => {
  it('collapses the same record fetched twice, whatever the key order or extra fields', () => {
    const first = run(fixture('mgmt-sharepoint', 'page viewed (first copy)'));
    const again = run(fixture('mgmt-sharepoint', 'page viewed again'));
    expect(again.dedupe_key).toBe(first.dedupe_key);
    const team = run(fixture('mgmt-general', 'team created'));
    const teamAgain = run(fixture('mgmt-general', 'same Id as the team creation'));
    expect(teamAgain.dedupe_key).toBe(team.dedupe_key);
  });

  it('keeps a DLP rule match and its undo apart although they share one Id', () => {
    const match = run(fixture('mgmt-dlp', 'DLP rule match'));
    const undo = run(fixture('mgmt-dlp', 'DLP rule undo'));
    expect(match.id).toBe(undo.id);
    expect(match.dedupe_key).not.toBe(undo.dedupe_key);
  });

  it('prefixes the source, so equal ids of different sources never merge', () => {
    const raw = fixture('graph-directory', 'add member to group').raw;
    const asDirectory = normalizeEvent(raw, 'directory', { mappings });
    const asIntune = normalizeEvent(raw, 'intune', { mappings });
    expect(asDirectory.dedupe_key).toBe(`directory:${String(raw['id'])}`);
    expect(asIntune.dedupe_key).not.toBe(asDirectory.dedupe_key);
  });

  it('gives a diagnostic envelope the key of the Graph record inside it', () => {
    const envelope = fixture('diagnostic-envelope', 'Entra audit record').raw;
    const inner = envelope['properties'] as Record<string, unknown>;
    expect(normalizeEvent(envelope, 'directory', { mappings }).dedupe_key).toBe(
      normalizeEvent(inner, 'directory', { mappings }).dedupe_key,
    );
  });

  it('hashes timestamp, category, operation and targets when a record has no id', () => {
    const base = { ...fixture('graph-directory', 'update user').raw };
    delete base['id'];
    const key = normalizeEvent(base, 'directory', { mappings }).dedupe_key;
    expect(key).toMatch(/^directory:sha256:[0-9a-f]{64}$/);
    expect(normalizeEvent({ ...base, resultReason: 'ignored' }, 'directory', { mappings }).dedupe_key).toBe(
      key,
    );
    expect(
      normalizeEvent({ ...base, activityDisplayName: 'Delete user' }, 'directory', { mappings }).dedupe_key,
    ).not.toBe(key);
    expect(
      normalizeEvent({ ...base, activityDateTime: '2026-03-02T10:00:01.5Z' }, 'directory', { mappings })
        .dedupe_key,
    ).not.toBe(key);
  });

  it('never merges two unrecognized records without ids', () => {
    const a = normalizeEvent({ note: 'first' }, 'unified', { mappings });
    const b = normalizeEvent({ note: 'second' }, 'unified', { mappings });
    expect(a.dedupe_key).not.toBe(b.dedupe_key);
  });
});

describe('search terms', () => {
  const forwarding = run(fixture('mgmt-exchange', 'Set-Mailbox forwarding'));

  it.each([
    'attacker@evil.com',
    'evil.com',
    'Attacker',
    'jordan.kim@northwind.example',
    'Set-Mailbox',
    '198.51.100.23',
  ])('finds the Set-Mailbox forwarding record by %s', (query) => {
    for (const token of tokenizeSearch(query)) expect(forwarding.search_terms).toContain(token);
  });

  it('holds tokens of the summary fields before those of the raw record', () => {
    const first = forwarding.search_terms.slice(0, 6);
    expect(first).toEqual(expect.arrayContaining(['exchange', 'set-mailbox']));
  });

  it('is bounded in count and token length', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    const event = normalizeEvent(
      { ...fixture('mgmt-exchange', 'Set-TransportConfig').raw, Blob: words, Long: 'x'.repeat(500) },
      'unified',
      { mappings },
    );
    expect(event.search_terms.length).toBeLessThanOrEqual(MAX_SEARCH_TERMS);
    expect(Math.max(...event.search_terms.map((t) => t.length))).toBeLessThanOrEqual(MAX_TERM_LENGTH);
    expect(new Set(event.search_terms).size).toBe(event.search_terms.length);
  });
});

describe('resolved names', () => {
  it('win over raw ids but not over a name the record carries', () => {
    const raw = fixture('graph-directory', 'add member to group').raw;
    const names = new Map([
      ['11111111-2222-4333-8444-555555555555', 'Someone Else'],
      ['33333333-4444-4555-8666-777777777777', 'Renamed Group'],
    ]);
    const event = normalizeEvent(raw, 'directory', { mappings, names });
    expect(event.actor_display).toBe('riya.patel@northwind.example');
    expect(event.target_displays).toContain('Finance Approvers');
  });

  it('name an Intune resource known only by id', () => {
    const c = fixture('graph-intune', 'wipe by an app');
    expect(normalizeEvent(c.raw, 'intune', { mappings }).target_displays).toEqual([
      'c5c5c5c5-6666-4777-8888-999999999999',
    ]);
    expect(run(c).target_displays).toEqual(['WS-FIN-042']);
  });
});

describe('odd input', () => {
  it('infers the content type when the caller does not give it', () => {
    const c = fixture('mgmt-exchange', 'Set-Mailbox forwarding');
    expect(normalizeEvent(c.raw, 'unified', { mappings }).content_type).toBe('Audit.Exchange');
    expect(
      normalizeEvent(fixture('mgmt-dlp', 'DLP rule match').raw, 'unified', { mappings }).content_type,
    ).toBe('DLP.All');
  });

  it('uses the receive time for a record without a timestamp and flags it', () => {
    const event = normalizeEvent({ Operation: 'Ping' }, 'unified', { mappings, receivedAt: RECEIVED });
    expect(event.timestamp).toEqual(RECEIVED);
    expect(event.unknown_shape).toBe(true);
    expect(event.operation).toBe('Ping');
  });

  it('reads zone-less Management Activity times as UTC', () => {
    const event = run(fixture('mgmt-azure-ad', 'failed password logon'));
    expect(event.timestamp.toISOString()).toBe('2026-06-01T07:30:00.000Z');
  });

  it('never throws and always yields a valid event, whatever the JSON', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.constantFrom('directory', 'intune', 'unified'),
        (raw, source) => {
          const event = normalizeEvent(raw, source, { mappings, receivedAt: RECEIVED });
          expect(NormalizedEvent.safeParse(event).success).toBe(true);
          expect(event.operation).not.toBe('');
          expect(event.actor_display).not.toBe('');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives known shapes with wrong member types', () => {
    const shapes: Record<string, unknown>[] = [
      {
        activityDisplayName: 'Add user',
        initiatedBy: 'nobody',
        targetResources: 'none',
        activityDateTime: 5,
      },
      {
        CreationTime: '2026-01-01T00:00:00',
        Operation: 'MemberAdded',
        Workload: 'MicrosoftTeams',
        Members: [null, 3, 'x'],
      },
      {
        CreationTime: '2026-01-01T00:00:00',
        Operation: 'Set-Mailbox',
        RecordType: '1',
        Parameters: { Name: 'x' },
      },
      { time: 'yesterday', operationName: 7, properties: { Targets: 'x', Actor: [] } },
      { activityType: 'Wipe', resources: [null], actor: 'me', activityDateTime: '2026-01-01T00:00:00Z' },
    ];
    for (const raw of shapes) {
      const event = normalizeEvent(raw, 'unified', { mappings, receivedAt: RECEIVED });
      expect(NormalizedEvent.safeParse(event).success).toBe(true);
    }
  });
});
