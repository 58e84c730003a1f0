import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, as `.ci/run` installs it. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, deterministic headless Chromium in containers. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Whether browser tests can run here. Without Chromium they are skipped with a message, unless
 * AOC_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
 */
export function browserAvailability(): { run: boolean; reason: string } {
  if (existsSync(CHROMIUM)) return { run: true, reason: '' };
  const reason = `${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium) to run browser tests`;
  if (process.env.AOC_REQUIRE_BROWSER === '1') throw new Error(`AOC_REQUIRE_BROWSER=1 but ${reason}`);
  return { run: false, reason };
}

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
