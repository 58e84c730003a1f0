import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The web package's folder. */
export const WEB_DIR = fileURLToPath(new URL('../', import.meta.url));

/** Builds the console into web/dist, so the browser tests exercise exactly what `aoc serve` ships. */
export async function buildConsole(): Promise<void> {
  await build({ root: WEB_DIR, logLevel: 'warn', configFile: `${WEB_DIR}vite.config.ts` });
}
