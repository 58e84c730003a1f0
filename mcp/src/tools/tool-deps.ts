import type { Core, Logger } from '@aoc/core';

/** What every tool is built from. */
export interface ToolDeps {
  core: Core;
  log: Logger;
  /** Runs before each `ask` and may throw to refuse it (the HTTP host's per-caller budget). */
  beforeAsk: () => void;
}
