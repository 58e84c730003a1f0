import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppError } from '../errors.js';
import { isAppError } from '../errors.js';
import { loadMappings } from './load-mappings.js';
import type { Mappings } from './schema.js';

export interface MappingsProviderOptions {
  /** Milliseconds between two looks at the file's modification time; 2 s by default. */
  checkIntervalMs?: number;
  /** Clock in milliseconds, injectable for tests. */
  now?: () => number;
}

/** Current mappings, re-read when the file changes. */
export interface MappingsProvider {
  /** The mappings to use now; cheap enough to call for every event. */
  get(): Mappings;
  /** Why the last reload failed (the previous mappings stay in use), or undefined. */
  lastError(): AppError | undefined;
}

function fingerprint(file: string | undefined): string {
  if (file === undefined) return 'none';
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

/**
 * Loads `mappings.yml` now (throwing on a bad file, so startup fails with the file, line and reason) and
 * re-reads it when its modification time or size changes, looking at most once per `checkIntervalMs`. A bad
 * edit while running keeps the last good mappings and is reported by `lastError()`, so ingestion never
 * stops because of a typo.
 */
export function createMappingsProvider(
  path: string | undefined,
  options: MappingsProviderOptions = {},
): MappingsProvider {
  const interval = options.checkIntervalMs ?? 2000;
  const now = options.now ?? Date.now;
  const file = path === undefined || path === '' ? undefined : resolve(path);
  let seen = fingerprint(file);
  let current = loadMappings(file);
  let failure: AppError | undefined;
  let checkedAt = now();
  return {
    get() {
      const time = now();
      if (file === undefined || time - checkedAt < interval) return current;
      checkedAt = time;
      const print = fingerprint(file);
      if (print === seen) return current;
      seen = print;
      try {
        current = loadMappings(file);
        failure = undefined;
      } catch (error) {
        if (!isAppError(error)) throw error;
        failure = error;
      }
      return current;
    },
    lastError: () => failure,
  };
}
