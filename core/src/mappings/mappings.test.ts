import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { REPO_ROOT } from '../normalize/fixtures/corpus.test-helpers.js';
import { defaultMappings, loadMappings } from './load-mappings.js';
import { createMappingsProvider } from './mappings-provider.js';
import type { TemplateScope } from './template.js';
import { compileTemplate, joinList } from './template.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aoc-mappings-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function loadError(text: string): { message: string; line: unknown } {
  const file = write('bad.yml', text);
  try {
    loadMappings(file);
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.code).toBe('CONFIG');
    expect(error.message).toContain(file);
    return { message: error.message, line: (error.details as { line: unknown }).line };
  }
  throw new Error('expected a ConfigError');
}

const scope: TemplateScope = {
  actor: 'riya@northwind.example',
  operation: 'Add member to group',
  result: 'success',
  service: 'Group Management',
  source: 'directory',
  targets: ['sam@northwind.example', 'Finance'],
  targetTypes: ['User', 'Group'],
  changed: [],
  params: new Map([['forwardingsmtpaddress', 'x@evil.com']]),
  raw: { Item: { Subject: 'Hello' }, List: ['a', 'b'], Type: 'Upper' },
};

describe('summary templates', () => {
  it.each([
    [
      '{actor} added {targets.User} to {targets.Group}',
      'riya@northwind.example added sam@northwind.example to Finance',
    ],
    ['{actor}[ ({changed})] done', 'riya@northwind.example done'],
    ['{changed|nothing} changed', 'nothing changed'],
    ['forward to {params.ForwardingSmtpAddress}', 'forward to x@evil.com'],
    ['"{raw.Item.Subject}" {raw.List} {raw.type}', '"Hello" a and b Upper'],
    ['{{literal}} [[x]]', '{literal} [x]'],
    ['{target}  and   spaces', 'sam@northwind.example and spaces'],
  ])('%s', (template, expected) => {
    expect(compileTemplate(template).render(scope)).toBe(expected);
  });

  it.each(['{nope}', '{actor', 'a } b', '[ {actor}', 'x ]', '[a [b]]', '{raw.}'])(
    'rejects %s',
    (template) => {
      expect(() => compileTemplate(template)).toThrow();
    },
  );

  it('lists up to three items, then counts the rest', () => {
    expect(joinList(['a', 'b'])).toBe('a and b');
    expect(joinList(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});

describe('loadMappings', () => {
  it("loads the repository's mappings.yml", () => {
    const mappings = loadMappings(join(REPO_ROOT, 'mappings.yml'));
    expect(mappings.origin).toBe(join(REPO_ROOT, 'mappings.yml'));
    expect(mappings.serviceLabel('unified', 'MicrosoftTeams')).toBe('Teams');
    expect(mappings.summaryTemplate('unified', 'set-mailbox').text).toContain('forwarding');
  });

  it('falls back to the built-in defaults for whatever the file leaves out', () => {
    const file = write(
      'partial.yml',
      'services:\n  unified:\n    Exchange: Mail\nsummaries:\n  intune:\n    "Create *": "{actor} made {targets}"\n',
    );
    const mappings = loadMappings(file);
    expect(mappings.serviceLabel('unified', 'Exchange')).toBe('Mail');
    expect(mappings.serviceLabel('unified', 'MicrosoftTeams')).toBe('Teams');
    expect(mappings.serviceLabel('unified', 'SomethingNew')).toBe('SomethingNew');
    expect(mappings.serviceLabel('unified', undefined)).toBe('Microsoft 365');
    expect(mappings.resultLabel('Succeeded')).toBe('success');
    expect(mappings.resultLabel(undefined)).toBe('success');
    expect(mappings.summaryTemplate('intune', 'Create DeviceConfiguration').text).toBe(
      '{actor} made {targets}',
    );
    expect(mappings.summaryTemplate('intune', 'Delete DeviceConfiguration').text).toContain('deleted');
  });

  it('picks the exact operation, then the most specific glob, then "*"', () => {
    const file = write(
      'globs.yml',
      'summaries:\n  intune:\n    "*": any\n    "Create *": create\n    "Create *Assignment": assign\n    Create Thing: exact\n',
    );
    const mappings = loadMappings(file);
    expect(mappings.summaryTemplate('intune', 'create thing').text).toBe('exact');
    expect(mappings.summaryTemplate('intune', 'Create PolicyAssignment').text).toBe('assign');
    expect(mappings.summaryTemplate('intune', 'Create Policy').text).toBe('create');
    expect(mappings.summaryTemplate('intune', 'Wipe').text).toBe('any');
  });

  it('gives the defaults without a path or when the file does not exist', () => {
    expect(loadMappings(undefined).origin).toBe('built-in defaults');
    const missing = loadMappings(join(dir, 'missing.yml'));
    expect(missing.origin).toContain('not found');
    expect(missing.serviceLabel('directory', 'UserManagement')).toBe(
      defaultMappings().serviceLabel('directory', 'UserManagement'),
    );
  });

  it('reports a YAML syntax error with its line', () => {
    const { message, line } = loadError('services:\n  unified:\n    Exchange: [Mail\nresults: {}\n');
    expect(line).toBe(4);
    expect(message).toMatch(/:4: /);
  });

  it('reports a duplicate key with its line', () => {
    expect(loadError('results:\n  missing: ok\n  missing: again\n').line).toBe(3);
  });

  it('reports a value of the wrong type with its line and path', () => {
    const { message, line } = loadError('version: 1\nservices:\n  unified:\n    Exchange: 5\n');
    expect(line).toBe(4);
    expect(message).toContain('services.unified.Exchange');
  });

  it('reports an unknown key at the key', () => {
    const { message, line } = loadError('version: 1\nsummaries:\n  directory: {}\n  teams:\n    x: y\n');
    expect(line).toBe(4);
    expect(message).toContain('unknown key "teams"');
  });

  it('reports a template that does not compile, with the reason', () => {
    const { message, line } = loadError(
      'summaries:\n  unified:\n    Set-Mailbox: ok\n    New-InboxRule: "{actr} did it"\n',
    );
    expect(line).toBe(4);
    expect(message).toContain('unknown placeholder {actr}');
  });
});

describe('createMappingsProvider', () => {
  function setup(initial: string) {
    const file = write('live.yml', initial);
    let now = 0;
    const provider = createMappingsProvider(file, { now: () => now });
    const touch = (text: string, second: number) => {
      writeFileSync(file, text);
      utimesSync(file, second, second);
    };
    return { provider, touch, advance: (ms: number) => (now += ms) };
  }
  const label = (name: string) => `services:\n  unified:\n    Exchange: ${name}\n`;

  it('re-reads the file when it changes, at most every two seconds', () => {
    const { provider, touch, advance } = setup(label('First'));
    expect(provider.get().serviceLabel('unified', 'Exchange')).toBe('First');
    touch(label('Second'), 1_000_000);
    advance(500);
    expect(provider.get().serviceLabel('unified', 'Exchange')).toBe('First');
    advance(2000);
    expect(provider.get().serviceLabel('unified', 'Exchange')).toBe('Second');
  });

  it('keeps the last good mappings through a bad edit and reports it', () => {
    const { provider, touch, advance } = setup(label('Good'));
    touch('services: [oops\n', 1_000_000);
    advance(2500);
    expect(provider.get().serviceLabel('unified', 'Exchange')).toBe('Good');
    expect(provider.lastError()?.message).toMatch(/live\.yml:\d+: /);
    touch(label('Fixed'), 2_000_000);
    advance(2500);
    expect(provider.get().serviceLabel('unified', 'Exchange')).toBe('Fixed');
    expect(provider.lastError()).toBeUndefined();
  });

  it('fails at creation on a bad file, so startup names the problem', () => {
    const file = write('broken.yml', 'results:\n  labels: 7\n');
    expect(() => createMappingsProvider(file)).toThrow(/broken\.yml:2: /);
  });
});
