import type { Core, Logger } from '@aoc/core';

/** What every tool is built from. */
export interface ToolDeps {
  core: Core;
  log: Logger;
}
