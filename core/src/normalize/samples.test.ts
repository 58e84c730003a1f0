import { describe, expect, it } from 'vitest';
import { NormalizedEvent } from '../events/model.js';
import { loadMappings } from '../mappings/load-mappings.js';
import { loadSampleCorpus, REPO_ROOT, SAMPLES_DIR } from './fixtures/corpus.test-helpers.js';
import { normalizeEvent } from './normalize-event.js';

// Microsoft's published samples live next to the repository on development machines only; a user's clone
// has no ../shared, and these tests then skip, saying so.
const corpus = loadSampleCorpus();
const mappings = loadMappings(`${REPO_ROOT}/mappings.yml`);

function normalize(record: (typeof corpus)[number]) {
  const ctx = record.contentType === undefined ? { mappings } : { mappings, contentType: record.contentType };
  return normalizeEvent(record.raw, record.source, ctx);
}

function keysOf(prefix: string): string[] {
  return corpus.filter((r) => r.name.startsWith(prefix)).map((r) => normalize(r).dedupe_key);
}

describe.skipIf(corpus.length === 0)(`every published sample record (${SAMPLES_DIR})`, () => {
  it.each(corpus.map((r) => [r.name, r] as const))('%s normalizes to a sensible event', (_, record) => {
    const event = normalize(record);
    expect(NormalizedEvent.safeParse(event).success).toBe(true);
    expect(event.service.trim()).not.toBe('');
    expect(event.operation.trim()).not.toBe('');
    expect(event.operation).not.toBe('Unknown operation');
    expect(event.actor_display.trim()).not.toBe('');
    expect(event.display_summary.trim()).not.toBe('');
    expect(Number.isNaN(event.timestamp.getTime())).toBe(false);
    expect(event.timestamp.getUTCFullYear()).toBeGreaterThan(2010);
    expect(event.unknown_shape).toBeUndefined();
    expect(event.search_terms.length).toBeGreaterThan(5);
    expect(normalize(record).dedupe_key).toBe(event.dedupe_key);
  });

  it('collapses the duplicated records of the samples and nothing else', () => {
    // 6 blob records with one Id three times; the Teams file repeats one Id with another body.
    expect(new Set(keysOf('mgmt_content_blob')).size).toBe(4);
    expect(new Set(keysOf('mgmt_audit_general_teams')).size).toBe(4);
    // DLP rule match and undo share an Id but are two events.
    expect(new Set(keysOf('mgmt_dlp_all')).size).toBe(2);
    // The diagnostic envelopes wrap the same directory audits as the derived file.
    expect(keysOf('entra_auditlogs').sort()).toEqual(
      keysOf('graph_directoryaudits_from_azure_diagnostic').sort(),
    );
  });

  it('finds the forwarding and mailbox values of Exchange records by search terms', () => {
    const setMailbox = corpus.find((r) => r.name.startsWith('mgmt_edge_cases'));
    expect(setMailbox).toBeDefined();
    if (setMailbox === undefined) return;
    const terms = normalize(setMailbox).search_terms;
    expect(terms).toEqual(
      expect.arrayContaining(['set-mailbox', 'discoverysearchmailbox', 'testsiem.onmicrosoft.com']),
    );
  });
});

describe.skipIf(corpus.length > 0)('published samples', () => {
  it(`are absent (${SAMPLES_DIR}); only the committed fixtures are tested`, () => {
    expect(corpus).toEqual([]);
  });
});
