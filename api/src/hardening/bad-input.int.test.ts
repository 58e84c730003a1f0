import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import type { Document } from 'mongodb';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import { checksumDatabase, idsByCollection } from './checksum.test-helpers.js';
import type { CollectionChecksum } from './checksum.test-helpers.js';
import {
  encodeText,
  nastyObject,
  nastyValue,
  pathSegment,
  queryString,
  rawBody,
} from './garbage.test-helpers.js';
import { contractBreach, printFigure, probe } from './http-probe.test-helpers.js';
import type { ProbeAnswer } from './http-probe.test-helpers.js';
import { restRoutes, trpcProcedures } from './surface.test-helpers.js';
import type { RouteKey } from './surface.test-helpers.js';

/**
 * Every REST route and tRPC procedure, enumerated from the app and the router (so new ones are covered), is fed
 * generated garbage over real HTTP. Each answer must be a JSON 4xx or a legitimate 2xx — never a 5xx or a
 * hang — the stored data must be unchanged afterwards, and the server must still serve.
 */

const database = useTestDatabase('hardening_input');
let h: Harness;
let targetId: string;
/** Records the edit routes may legitimately change; every other pre-existing record must stay as it was. */
let sacrificial: Set<string>;
let protectedIds: Map<string, Set<string>>;
let ruleId: string;
let alertId: string | undefined;
let mcpToolCount = 0;
let realCursor: string;
let before: { protectedOnly: Record<string, CollectionChecksum>; target: CollectionChecksum | undefined };
const pollutionBefore = Object.getOwnPropertyNames(Object.prototype).sort();

/** Runs per route or procedure: enough to hit every generator branch, few enough for a suite under a minute. */
const RUNS = 30;
/** Operational state a legitimate request may change: fetches move watermarks, leases and source health. */
const OPERATIONAL = ['watermarks', 'locks', 'source_health'];
const figures = { inputs: 0, answers2xx: 0, answers4xx: 0, breaches: 0, mcpToolCalls: 0, mcpToolErrors: 0 };

/** Every field name any route or procedure reads, so generated input reaches the validators. */
const FIELDS = [
  'service',
  'operation',
  'result',
  'source',
  'sources',
  'tags',
  'actor',
  'entity',
  'start',
  'end',
  'search',
  'cursor',
  'page_size',
  'format',
  'limit',
  'hours',
  'days',
  'top',
  'filters',
  'question',
  'text',
  'author',
  'id',
  'validationToken',
  'value',
  'clientState',
  'name',
  'enabled',
  'severity',
  'conditions',
  'threshold',
  'webhook_url',
  'acknowledged',
];

/** A valid rule with one part replaced by garbage: reaches the rule validators' deeper branches. */
const nearValidRule = fc
  .tuple(
    fc.constantFrom(
      'name',
      'enabled',
      'severity',
      'conditions',
      'threshold',
      'webhook_url',
      'operation',
      'text',
    ),
    fc.oneof(
      nastyValue,
      fc.constantFrom(
        'http://169.254.169.254/latest/meta-data/',
        'http://127.0.0.1:1/',
        'https://[::1]/hook',
        'file:///etc/passwd',
        'gopher://127.0.0.1:25/',
        'https://10.0.0.1/hook',
        'https://user:pass@127.0.0.1/',
        '*'.repeat(40),
        'a*b*c*d*e*f*g',
      ),
    ),
  )
  .map(([field, value]) => {
    const rule: Record<string, unknown> = { name: 'fuzz', conditions: { operation: 'Add*' } };
    if (field === 'operation' || field === 'text') rule.conditions = { [field]: value };
    else rule[field] = value;
    return JSON.stringify(rule);
  });

/** Pre-existing records other than the edit routes' targets: these must come through byte for byte. */
function isProtected(collection: string, doc: Document): boolean {
  const id = String(doc._id);
  return !sacrificial.has(id) && (protectedIds.get(collection)?.has(id) ?? false);
}

/** The target event of the edit routes may gain tags and comments; nothing else of it may change. */
function maskEdits(collection: string, doc: Document): Document {
  if (collection !== 'events' || String(doc._id) !== targetId) return doc;
  const { tags: _tags, comments: _comments, ...rest } = doc;
  return rest;
}

async function checksum() {
  const protectedOnly = await checksumDatabase(database.db, { skip: OPERATIONAL, include: isProtected });
  // The target event is hashed apart, masked: it must exist and keep everything but its tags and comments.
  const target = await checksumDatabase(database.db, {
    skip: OPERATIONAL,
    include: (collection, doc) => collection === 'events' && String(doc._id) === targetId,
    mask: maskEdits,
  });
  return { protectedOnly, target: target.events };
}

function record(label: string, answer: ProbeAnswer): void {
  figures.inputs += 1;
  if (answer.status < 300) figures.answers2xx += 1;
  else figures.answers4xx += 1;
  const breach = contractBreach(answer);
  if (breach) {
    figures.breaches += 1;
    expect.fail(`${label}: ${breach}`);
  }
}

function routeRequest(route: RouteKey) {
  const methods = route.method === 'ALL' ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] : [route.method];
  const segments = route.path.split('/').map((segment) => {
    if (segment === '*') return pathSegment;
    if (segment.startsWith(':'))
      return fc.oneof({ weight: 2, arbitrary: fc.constant(targetId) }, { weight: 3, arbitrary: pathSegment });
    return fc.constant(segment);
  });
  return fc.record({
    method: fc.constantFrom(...methods),
    path: fc.tuple(...segments).map((parts) => parts.join('/')),
    query: fc.oneof(queryString(FIELDS), fc.constant(`cursor=${encodeText(tamper(realCursor))}`)),
    body: fc.oneof({ weight: 4, arbitrary: rawBody(FIELDS) }, { weight: 1, arbitrary: nearValidRule }),
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ),
    headers: fc.dictionary(
      fc.constantFrom(
        'x-forwarded-for',
        'webhook-authid',
        'mcp-session-id',
        'accept',
        'origin',
        'x-request-id',
      ),
      fc.constantFrom(
        '{"$ne":null}',
        '127.0.0.1, ::1, garbage',
        'application/json, text/event-stream',
        'null',
        '*',
      ),
      { maxKeys: 2 },
    ),
  });
}

/** A real cursor with one character changed: must be refused as tampered, never trusted. */
function tamper(cursor: string): string {
  const i = Math.floor(cursor.length / 3);
  return `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`;
}

beforeAll(async () => {
  h = await startHarness(database, {
    events: 300,
    env: { WEBHOOK_CLIENT_SECRET: 'fuzz-webhook-secret-0123456789' },
    mcp: true,
    app: { rateLimits: { fetchPerMinute: 100_000, exportPerMinute: 100_000, aiPerMinute: 100_000 } },
  });
  // Rules before the fetch, so it raises alerts: one rule to keep, one for the edit routes to change.
  await h.core.rules.create({ name: 'protected', conditions: { source: 'directory' } });
  ruleId = (await h.core.rules.create({ name: 'sacrificial', conditions: { source: 'intune' } }))._id;
  await h.core.ingest.runFetch({ hours: 168 });
  const page = await h.core.events.search({ page_size: 2 });
  targetId = page.items[0]!._id;
  realCursor = page.next_cursor!;
  alertId = (await h.core.alerts.list({})).items[0]?._id;
  sacrificial = new Set([targetId, ruleId, ...(alertId ? [alertId] : [])]);
  protectedIds = await idsByCollection(database.db);
  before = await checksum();
}, 60_000);

afterAll(async () => {
  printFigure('bad input', {
    ...figures,
    routes: restRoutes(h.app).length,
    procedures: trpcProcedures().length,
    mcpTools: mcpToolCount,
  });
  await h.close();
});

describe('bad input over real HTTP', () => {
  it('seeded enough data to make the checks meaningful', () => {
    expect(before.protectedOnly.events?.count).toBeGreaterThan(100);
    expect(before.protectedOnly.rules?.count).toBe(1);
    expect(before.protectedOnly.alerts?.count ?? 0).toBeGreaterThan(0);
    expect(before.target?.count).toBe(1);
  });

  it('answers garbage on every REST route with a JSON 4xx or a legitimate 2xx', async () => {
    const routes = restRoutes(h.app);
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(routeRequest(route), async (req) => {
          const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
          const headers: Record<string, string> = { ...req.headers };
          if (hasBody && req.contentType) headers['content-type'] = req.contentType;
          const url = `${h.url}${req.path}${req.query ? `?${req.query}` : ''}`;
          const answer = await probe(url, {
            method: req.method,
            headers,
            ...(hasBody ? { body: req.body } : {}),
          });
          record(`${route.method} ${route.path} as ${req.method} ${url.slice(h.url.length, 300)}`, answer);
        }),
        { numRuns: RUNS },
      );
    }
  }, 120_000);

  it('answers garbage on every tRPC procedure with a JSON 4xx or a legitimate 2xx', async () => {
    const procedures = trpcProcedures();
    expect(procedures.length).toBeGreaterThan(10);
    const input = fc.oneof(
      { weight: 3, arbitrary: nastyObject(FIELDS) },
      { weight: 2, arbitrary: nastyValue },
      { weight: 1, arbitrary: fc.constant({ id: targetId, tags: ['=cmd', '\u0000'], text: '\uD800' }) },
      { weight: 1, arbitrary: fc.constant({ cursor: tamper(realCursor) }) },
    );
    for (const { path, type } of procedures) {
      await fc.assert(
        fc.asyncProperty(input, fc.boolean(), async (value, batched) => {
          const encoded = JSON.stringify(batched ? { 0: value } : value) ?? 'null';
          const batch = batched ? 'batch=1&' : '';
          const answer =
            type === 'mutation'
              ? await probe(`${h.url}/trpc/${path}?${batch}`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: encoded,
                })
              : await probe(`${h.url}/trpc/${path}?${batch}input=${encodeText(encoded)}`);
          record(`tRPC ${type} ${path} with ${encoded.slice(0, 200)}`, answer);
        }),
        { numRuns: RUNS },
      );
    }
    // Names no procedure has, and undecodable input, on the mount itself.
    for (const url of [
      '/trpc/nope.nothing',
      '/trpc/__proto__',
      '/trpc/constructor.prototype',
      '/trpc/events.search?input=%ZZ',
      '/trpc/events.search?input={',
      '/trpc/events.search,events.get?batch=1&input={"0":{"$where":"1"},"1":null}',
    ]) {
      record(`tRPC ${url}`, await probe(`${h.url}${url}`));
    }
  }, 120_000);

  it('answers garbage arguments to every MCP tool with a result or a tool error, never an internal error', async () => {
    const client = new Client({ name: 'hardening', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`)));
    try {
      const { tools } = await client.listTools();
      mcpToolCount = tools.length;
      expect(tools.length).toBeGreaterThan(3);
      for (const tool of tools) {
        const fields = Object.keys((tool.inputSchema as { properties?: object }).properties ?? {});
        await fc.assert(
          fc.asyncProperty(nastyObject([...fields, 'id']), async (args) => {
            figures.mcpToolCalls += 1;
            try {
              const result = await client.callTool({ name: tool.name, arguments: args });
              if (result.isError) figures.mcpToolErrors += 1;
            } catch (error) {
              // Arguments the schema refuses come back as JSON-RPC "invalid params"; anything else is a defect.
              figures.mcpToolErrors += 1;
              expect(
                (error as { code?: number }).code,
                `${tool.name} ${JSON.stringify(args).slice(0, 200)}: ${String(error)}`,
              ).toBe(-32602);
            }
          }),
          { numRuns: 20 },
        );
      }
    } finally {
      await client.close();
    }
  }, 120_000);

  it('changed no stored data, polluted no prototype, and still serves', async () => {
    expect(await checksum()).toEqual(before);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(pollutionBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const health = await probe(`${h.url}/health`);
    expect(health.status).toBe(200);
    const list = await probe(`${h.url}/api/events?page_size=5`);
    expect(list.status).toBe(200);
    expect((JSON.parse(list.body) as { items: unknown[] }).items).toHaveLength(5);
  });
});
