import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import {
  AddCommentInput,
  AskInput,
  EventId,
  ExportEventsInput,
  FetchInput,
  ListAlertsInput,
  RecordId,
  RuleInput,
  SearchEventsInput,
  SetTagsInput,
} from '@aoc/core';
import type { AppEnv } from '../app-env.js';
import type { SurfaceDeps } from '../deps.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

/** JSON Schema of what a caller sends (zod's input side), generated from core's own schemas. */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function queryParameters(schema: z.ZodType, rename: Record<string, string> = {}): unknown[] {
  const json = inputSchema(schema);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name: rename[name] ?? name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

const idParameter = { name: 'id', in: 'path', required: true, schema: inputSchema(EventId) };
const ruleIdParameter = { name: 'id', in: 'path', required: true, schema: inputSchema(RecordId) };
const errorResponse = {
  description: 'Error',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            required: ['code', 'message'],
          },
        },
      },
    },
  },
};

function operation(
  summary: string,
  extra: Record<string, unknown> = {},
  ok = '200',
): Record<string, unknown> {
  return {
    summary,
    responses: {
      [ok]: { description: 'Success' },
      '400': errorResponse,
      '401': errorResponse,
      '403': errorResponse,
    },
    ...extra,
  };
}

function jsonBody(schema: z.ZodType): Record<string, unknown> {
  return {
    requestBody: { required: true, content: { 'application/json': { schema: inputSchema(schema) } } },
  };
}

/** The OpenAPI 3.1 document of the REST surface, its parameters generated from the same zod schemas core parses with. */
export function buildOpenApi(deps: SurfaceDeps): Record<string, unknown> {
  const fetchParameters = queryParameters(FetchInput, { sources: 'source' });
  return {
    openapi: '3.1.0',
    info: { title: 'AOC — Admin Operations Center API', version: deps.version },
    components: {
      securitySchemes: { entra: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: deps.config.auth.enabled ? [{ entra: [] }] : [],
    paths: {
      '/health': {
        get: {
          ...operation('Liveness, version and database state (503 when the database is down)'),
          security: [],
        },
      },
      '/metrics': { get: operation('Prometheus metrics (allowlisted addresses only)') },
      '/api/version': { get: { ...operation('Running version'), security: [] } },
      '/api/events': {
        get: operation('List events, newest first, with filters and a cursor', {
          parameters: queryParameters(SearchEventsInput),
        }),
      },
      '/api/events/export': {
        get: operation('Stream matching events as CSV or NDJSON', {
          parameters: queryParameters(ExportEventsInput),
        }),
      },
      '/api/events/{id}': { get: operation('One event', { parameters: [idParameter] }) },
      '/api/events/{id}/tags': {
        patch: operation('Replace an event’s tags', { parameters: [idParameter], ...jsonBody(SetTagsInput) }),
      },
      '/api/events/{id}/comments': {
        post: operation(
          'Add a comment (the author is the signed-in user)',
          { parameters: [idParameter], ...jsonBody(AddCommentInput) },
          '201',
        ),
      },
      '/api/filter-options': { get: operation('Distinct values for the filter dropdowns') },
      '/api/ask': {
        post: operation('Answer a question about the events in plain language', jsonBody(AskInput)),
      },
      '/api/events/{id}/explain': {
        post: operation('Explain one event with security context', { parameters: [idParameter] }),
      },
      '/api/fetch-audit-logs': {
        get: operation('Fetch audit logs now (kept for the original’s callers)', {
          parameters: fetchParameters,
        }),
        post: operation('Fetch audit logs now', { parameters: fetchParameters }),
      },
      '/api/source-health': {
        get: operation('Last fetch status of each source, and SIEM delivery when forwarding is on'),
      },
      '/api/rules': {
        get: operation('Every alert rule'),
        post: operation('Create an alert rule', jsonBody(RuleInput), '201'),
      },
      '/api/rules/{id}': {
        put: operation('Replace an alert rule', { parameters: [ruleIdParameter], ...jsonBody(RuleInput) }),
        delete: operation('Delete an alert rule (its alerts stay)', { parameters: [ruleIdParameter] }),
      },
      '/api/alerts': {
        get: operation('Alerts raised by the rules, newest first', {
          parameters: queryParameters(ListAlertsInput),
        }),
      },
      '/api/alerts/{id}/acknowledge': {
        post: operation('Acknowledge an alert as the signed-in user', { parameters: [ruleIdParameter] }),
      },
      '/api/config/auth': {
        get: { ...operation('What the console needs to sign in (nothing secret)'), security: [] },
      },
      '/api/config/features': { get: { ...operation('Feature flags'), security: [] } },
      '/api/webhooks/graph': { post: { ...operation('Microsoft Graph change notifications'), security: [] } },
      '/api/webhooks/management': {
        post: { ...operation('Management Activity API notifications'), security: [] },
      },
    },
  };
}

/** `/openapi.json` and a plain, script-free `/docs` page listing the operations (only when DOCS_ENABLED). */
export function docsRoutes(deps: SurfaceDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const document = buildOpenApi(deps);
  app.get('/openapi.json', (c) => c.json(document));
  app.get('/docs', (c) => {
    const paths = document.paths as Record<
      string,
      Record<string, { summary: string; parameters?: { name: string; in: string }[] }>
    >;
    const rows = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, op]) =>
          html`<tr>
            <td><code>${method.toUpperCase()}</code></td>
            <td><code>${path}</code></td>
            <td>${op.summary}</td>
            <td>${(op.parameters ?? []).map((p) => p.name).join(', ')}</td>
          </tr>`,
      ),
    );
    return c.html(
      html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <title>AOC API</title>
          </head>
          <body>
            <h1>AOC API ${deps.version}</h1>
            <p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
            <table>
              <thead>
                <tr>
                  <th>Method</th>
                  <th>Path</th>
                  <th>What</th>
                  <th>Parameters</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </body>
        </html>`,
    );
  });
  return app;
}
