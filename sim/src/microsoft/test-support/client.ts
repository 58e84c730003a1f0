import type { MicrosoftSim } from '../server.js';

// Response bodies are asserted field by field in tests; a precise type per route would only add casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A client-credentials token response for `{origin}/.default`, as a real client would request it. */
export async function requestToken(
  sim: MicrosoftSim,
  origin: string,
): Promise<{ access_token: string; expires_in: number }> {
  const response = await fetch(`${sim.urls.login}/${sim.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      scope: `${origin}/.default`,
    }),
  });
  if (response.status !== 200)
    throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { access_token: string; expires_in: number };
}

/** The access token of {@link requestToken}. */
export async function getToken(sim: MicrosoftSim, origin: string): Promise<string> {
  return (await requestToken(sim, origin)).access_token;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Json;
}

export async function call(
  url: string,
  token: string | undefined,
  init: RequestInit = {},
): Promise<JsonResponse> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Follows `@odata.nextLink` to the end; returns every record and the number of pages. */
export async function walkGraph(url: string, token: string): Promise<{ records: Json[]; pages: number }> {
  const records: Json[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next) {
    const page = await call(next, token);
    if (page.status !== 200) throw new Error(`page failed: ${page.status} ${JSON.stringify(page.body)}`);
    records.push(...page.body.value);
    pages += 1;
    next = page.body['@odata.nextLink'];
  }
  return { records, pages };
}

/** The feed root `{management}/api/v1.0/{tenant}/activity/feed`. */
export const feedRoot = (sim: MicrosoftSim): string =>
  `${sim.urls.management}/api/v1.0/${sim.tenantId}/activity/feed`;

/** Lists one window's content through every NextPageUri; returns the listing entries and the page count. */
export async function listAllContent(
  url: string,
  token: string,
): Promise<{ entries: Json[]; pages: number }> {
  const entries: Json[] = [];
  let next: string | null = url;
  let pages = 0;
  while (next) {
    const page = await call(next, token);
    if (page.status !== 200) throw new Error(`listing failed: ${page.status} ${JSON.stringify(page.body)}`);
    entries.push(...page.body);
    pages += 1;
    next = page.headers.get('NextPageUri');
  }
  return { entries, pages };
}
