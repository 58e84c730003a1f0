import { readFileSync } from 'node:fs';

/** The running version: `AOC_VERSION` when a build baked one in (Docker), else the api package's version. */
export function readVersion(env: Record<string, string | undefined>): string {
  if (env.AOC_VERSION) return env.AOC_VERSION;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
