import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoSim, type MongoSim } from '@aoc/sim';
import { browserAvailability, launchChromium } from './browser.js';
import { buildConsole } from './build.js';
import { serveAoc, type ServedAoc } from './server.js';

const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const availability = browserAvailability();
if (!availability.run) console.warn(`console e2e skipped: ${availability.reason}`);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

async function rowCount(page: Page): Promise<number> {
  return page.locator('table.events tbody tr').count();
}

describe.skipIf(!availability.run)('console in Chromium against aoc serve (demo tenant)', () => {
  let mongo: MongoSim;
  let aoc: ServedAoc;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await buildConsole();
    mongo = await startMongoSim();
    aoc = await serveAoc({
      MONGO_URI: mongo.uri,
      MONGO_DB: 'aoc_e2e',
      AI_FEATURES_ENABLED: 'true',
      // New demo events every few seconds, so the alert test does not wait a minute for live traffic.
      DEMO_EVENTS_INTERVAL_SECONDS: '3',
    });
    // The demo tenant is ingested on first start; wait until events are there.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const body = (await (await fetch(`${aoc.url}/api/events?page_size=1&start=2000-01-01`)).json()) as {
        items?: unknown[];
      };
      if (body.items?.length) break;
      if (Date.now() > deadline) throw new Error(`no demo events ingested:\n${aoc.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await aoc?.stop();
    await mongo?.stop();
  });

  it('loads the console on the events table', async () => {
    await page.goto(`${aoc.url}/`);
    await page.waitForURL(/\/events/);
    await page.locator('table.events tbody tr').first().waitFor();
    expect(await rowCount(page)).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=result-count]').textContent()).toMatch(/shown/);
    await page.locator('svg.histogram').waitFor();
    await shot(page, 'events');
  });

  it('filters by service through the URL, and back/forward restore the view', async () => {
    const service = await page.locator('#filter-service option').nth(1).getAttribute('value');
    expect(service).toBeTruthy();
    await page.selectOption('#filter-service', service);
    await page.waitForURL((url) => url.searchParams.get('service') === service);
    await page.locator('table.events tbody tr').first().waitFor();
    const services = await page.locator('table.events tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(services)).toEqual(new Set([service]));
    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('service'));
    expect(await page.inputValue('#filter-service')).toBe('');
    await page.goForward();
    await page.waitForURL((url) => url.searchParams.get('service') === service);
    expect(await page.inputValue('#filter-service')).toBe(service);
    await page.goto(`${aoc.url}/events`);
  });

  it('searches free text with a debounced query', async () => {
    await page.locator('table.events tbody tr').first().waitFor();
    const actor = (await page.locator('table.events tbody tr td:nth-child(5)').first().textContent())!.trim();
    const word = actor.split(/[@\s]/)[0]!;
    await page.fill('#search', word);
    await page.waitForURL((url) => url.searchParams.get('q') === word);
    await page.locator('table.events tbody tr').first().waitFor();
    const rows = await page.locator('table.events tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    await page.goto(`${aoc.url}/events`);
  });

  it('paginates with a page size and "load more"', async () => {
    await page.goto(`${aoc.url}/events?range=all&size=25`);
    await page.locator('table.events tbody tr').first().waitFor();
    expect(await rowCount(page)).toBe(25);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rowCount(page)).toBeGreaterThan(25);
  });

  it('navigates the table with the keyboard and opens an event with Enter', async () => {
    await page.goto(`${aoc.url}/events`);
    await page.locator('table.events tbody tr').first().waitFor();
    await page.locator('table.events').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const id = await page.locator('table.events tbody tr[aria-selected=true]').getAttribute('data-id');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/events/${id}$`));
  });

  it('opens an event by deep link, tags and comments it, and both persist after reload', async () => {
    const { items } = (await (await fetch(`${aoc.url}/api/events?page_size=1&start=2000-01-01`)).json()) as {
      items: { _id: string }[];
    };
    const id = items[0]!._id;
    await page.goto(`${aoc.url}/events/${id}`);
    await page.locator('h1').waitFor();
    await page.getByRole('button', { name: '+investigating' }).click();
    await page.getByRole('button', { name: 'Remove tag investigating' }).waitFor();
    await page.fill('#new-comment', 'Checked with the owner: expected change.');
    await page.getByRole('button', { name: 'Comment' }).click();
    await page.getByText('Checked with the owner: expected change.').waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Remove tag investigating' }).waitFor();
    await page.getByText('Checked with the owner: expected change.').waitFor();
    await page.locator('details.raw-json summary').click();
    await page.getByRole('button', { name: 'Explain this event' }).click();
    await page.locator('.explain [data-testid=answer]').waitFor({ timeout: 30_000 });
    await shot(page, 'event-detail');
  });

  it('shows source and tag facets that filter the events when clicked', async () => {
    await page.goto(`${aoc.url}/events?range=all`);
    await page.locator('table.events tbody tr').first().waitFor();
    const sources = page.locator('ul[aria-labelledby=facet-source] button');
    await sources.first().waitFor();
    const source = (await sources.first().locator('span').first().textContent())!;
    expect(['directory', 'intune', 'unified']).toContain(source);
    await sources.first().click();
    await page.waitForURL((url) => url.searchParams.get('source') === source);
    await expect.poll(() => sources.count(), { timeout: 10_000 }).toBe(1);
    await sources.first().click();
    await page.waitForURL((url) => !url.searchParams.has('source'));
    const tag = page.locator('ul[aria-labelledby=facet-tags] button', { hasText: 'investigating' });
    expect(await tag.locator('span.muted').textContent()).toBe('1');
    await tag.click();
    await page.waitForURL((url) => url.searchParams.get('tags') === 'investigating');
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => tag.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
  });

  it('asks a question with the active filters and shows the answer as text', async () => {
    await page.goto(`${aoc.url}/ask?range=30d`);
    await page.fill('#question', 'What changed in the last 30 days?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('[data-testid=answer]').waitFor({ timeout: 30_000 });
    expect((await page.locator('[data-testid=answer]').textContent())!.length).toBeGreaterThan(0);
    await page.locator('[data-testid=filters-used]').waitFor();
    expect(await page.locator('[data-testid=answer] img, [data-testid=answer] a[href^="http"]').count()).toBe(
      0,
    );
    await shot(page, 'ask');
  });

  it('runs a fetch and watches its progress complete', async () => {
    await page.goto(`${aoc.url}/sources`);
    await page.getByText('Demo tenant', { exact: true }).first().waitFor();
    await page.locator('table.events tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Fetch now' }).click();
    await page.getByText('Fetch complete').waitFor({ timeout: 60_000 });
    expect(await page.locator('progress.progress').getAttribute('value')).toBe('1');
    await shot(page, 'sources');

    // A fetch started elsewhere (here over REST, as an integration or the scheduler would) shows live too.
    const other = await fetch(`${aoc.url}/api/fetch-audit-logs`, { method: 'POST' });
    expect(other.status).toBe(200);
    await page.getByText('Fetch complete (started elsewhere)').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Fetch now' }).isEnabled()).toBe(true);
  });

  it('creates a rule after previewing its matches', async () => {
    await page.goto(`${aoc.url}/rules`);
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.fill('#rule-name', 'E2E failures');
    await page.fill('#rule-result', 'failure, success');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => page.locator('[data-testid=rule-preview]').textContent(), { timeout: 15_000 })
      .toMatch(/Would have matched \d/);
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('cell', { name: 'E2E failures' }).waitFor();
    await shot(page, 'rules');
  });

  it('acknowledges an alert the new rule raised, and shows who and when', async () => {
    // The demo tenant adds a few events every 3 s here; rules only see events stored after they exist, so
    // fetch until the rule created above has raised an alert (the fetch limit is 6 a minute).
    const deadline = Date.now() + 90_000;
    for (;;) {
      await fetch(`${aoc.url}/api/fetch-audit-logs`, { method: 'POST' });
      const { items } = (await (await fetch(`${aoc.url}/api/alerts`)).json()) as {
        items: { rule_name: string }[];
      };
      if (items.some((a) => a.rule_name === 'E2E failures')) break;
      if (Date.now() > deadline) throw new Error(`no alert raised:\n${aoc.output()}`);
      await new Promise((r) => setTimeout(r, 10_000));
    }
    await page.goto(`${aoc.url}/rules`);
    const button = page.getByRole('button', { name: 'Acknowledge E2E failures alert' }).first();
    await button.click();
    const acknowledged = page.locator('[data-testid=alert-acknowledged]').first();
    await expect.poll(() => acknowledged.textContent()).toMatch(/^Acknowledged by anonymous at \d{4}-/);
    await page.reload();
    await page.locator('[data-testid=alert-acknowledged]').first().waitFor();
    const after = (
      (await (await fetch(`${aoc.url}/api/alerts?status=acknowledged`)).json()) as { items: unknown[] }
    ).items;
    expect(after).toHaveLength(1);
    await shot(page, 'alerts');
  }, 180_000);

  it('exports the current filter as CSV and NDJSON', async () => {
    await page.goto(`${aoc.url}/events?range=all`);
    await page.locator('table.events tbody tr').first().waitFor();
    for (const [name, type] of [
      ['Export CSV', 'text/csv'],
      ['Export NDJSON', 'ndjson'],
    ] as const) {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      const response = await page.request.get(`${aoc.url}${href}`);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain(type);
      expect((await response.text()).length).toBeGreaterThan(0);
    }
  });

  it('switches to the light theme and remembers it', async () => {
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    await page.reload();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    await page.locator('table.events tbody tr').first().waitFor();
    await shot(page, 'events-light');
  });
});

describe.skipIf(!availability.run)('console with auth enabled', () => {
  let mongo: MongoSim;
  let aoc: ServedAoc;
  let browser: Browser;

  beforeAll(async () => {
    mongo = await startMongoSim();
    aoc = await serveAoc({
      MONGO_URI: mongo.uri,
      MONGO_DB: 'aoc_e2e_auth',
      AUTH_ENABLED: 'true',
      AUTH_TENANT_ID: '11111111-2222-3333-4444-555555555555',
      AUTH_CLIENT_ID: 'aoc-e2e',
      AUTH_ALLOWED_ROLES: 'AOC.Reader',
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await aoc?.stop();
    await mongo?.stop();
  });

  it('sends an unauthenticated visitor to the sign-in path', async () => {
    const page = await browser.newPage();
    await page.goto(`${aoc.url}/events`);
    await page.getByRole('heading', { name: 'Sign in to AOC' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).waitFor();
    expect(await page.locator('table.events').count()).toBe(0);
    const api = await page.request.get(`${aoc.url}/trpc/events.search?input=%7B%7D`);
    expect(api.status()).toBe(401);
    await shot(page, 'sign-in');
  });
});
