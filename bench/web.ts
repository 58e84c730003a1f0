/**
 * The console's two budgets: the gzip size of the JavaScript a first visit downloads before it can render
 * (`web_js_gzip_kb`, target ≤ 80 KB), and the time from navigation to the first rows of the events table in
 * headless Chromium against the API with many events stored (`web_first_render_ms`, target ≤ 1 s; 100k events,
 * 10k with --quick), with `web_time_to_query_ms`, the part of it spent before the event search leaves the
 * browser. The browser figures are skipped, with a note on stderr, when /usr/bin/chromium is absent.
 * Uses AOC_BENCH_MONGO_URI when set, else the sim Mongo server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '@aoc/api';
import { openBenchStore } from './bench-store.js';
import { figureOf, type Figure } from './figure.js';

const WEB = fileURLToPath(new URL('../web/', import.meta.url));
const DIST = join(WEB, 'dist');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/**
 * The JavaScript files a first visit to the events screen needs: the entry, everything it imports statically,
 * and the lazily loaded events route with its own static imports (from Vite's build manifest).
 */
export function initialChunks(manifest: Record<string, ManifestChunk>): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit('index.html');
  visit('src/routes/events.tsx');
  return [...files].filter((file) => file.endsWith('.js'));
}

function initialJsGzipKb(): number {
  const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const bytes = initialChunks(manifest).reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length,
    0,
  );
  return Math.round((bytes / 1024) * 10) / 10;
}

// Recorded in the page before any script runs: the moment the first table row exists, in ms since navigation.
const FIRST_ROWS_PROBE = `
  new MutationObserver((_, observer) => {
    if (document.querySelector('table.events tbody tr')) {
      window.__aocFirstRows = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

async function firstRenderRuns(
  eventCount: number,
  runs: number,
): Promise<{ firstRows: number[]; query: number[] }> {
  // Events spread over the last six days, so the console's default 7-day view holds all of them.
  const now = Date.now();
  const spacing = Math.floor((6 * 86_400_000) / Math.max(1, eventCount));
  const store = await openBenchStore('web', eventCount, {
    prefix: 'web-bench',
    timestampOf: (i) => new Date(now - 60_000 - i * spacing),
  });
  const { config, core } = store;
  const app = createApp(core, config, {
    extraRoutes: (routes) => {
      routes.get('/*', serveStatic({ root: DIST }));
      routes.get('/*', (c) => c.html(readFileSync(join(DIST, 'index.html'), 'utf8')));
    },
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const times: number[] = [];
    const queryTimes: number[] = [];
    // One warm-up visit (server caches, JIT), then cold browser contexts: no HTTP cache carried over.
    for (let run = -1; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(FIRST_ROWS_PROBE);
      await page.goto(`${base}/events`);
      await page.waitForSelector('table.events tbody tr', { timeout: 30_000 });
      const at = await page.evaluate<number>('window.__aocFirstRows ?? NaN');
      const query = await page.evaluate<number>(
        "performance.getEntriesByType('resource').find((e) => e.name.includes('events.search'))?.startTime ?? NaN",
      );
      if (run >= 0) {
        times.push(Math.round(at));
        queryTimes.push(Math.round(query));
      }
      // Let the histogram and facet queries finish: the next visit must not queue behind this one's work.
      await page.waitForLoadState('networkidle');
      await context.close();
    }
    return { firstRows: times, query: queryTimes };
  } finally {
    await browser.close();
    server.close();
    await store.close();
  }
}

/** Builds the console, then measures its bundle and (with Chromium) its first render. */
export async function benchWeb(opts: { quick: boolean }): Promise<Figure[]> {
  await build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  const figures: Figure[] = [
    figureOf({
      id: 'web_js_gzip_kb',
      unit: 'KB',
      target: 80,
      higherIsBetter: false,
      runs: [initialJsGzipKb()],
    }),
  ];
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(
      `web_first_render_ms skipped: ${CHROMIUM} not found (apt-get install -y chromium)\n`,
    );
    return figures;
  }
  const runs = await firstRenderRuns(opts.quick ? 10_000 : 100_000, opts.quick ? 3 : 5);
  figures.push(
    figureOf({
      id: 'web_first_render_ms',
      unit: 'ms',
      target: 1000,
      higherIsBetter: false,
      runs: runs.firstRows,
    }),
    // The console's own share of the first render: from navigation until the event search leaves the browser
    // (the rest is the API and the database answering it).
    figureOf({ id: 'web_time_to_query_ms', unit: 'ms', higherIsBetter: false, runs: runs.query }),
  );
  return figures;
}
