/** Entry of `aoc-mcp` (see `runStdio`). */
import { runStdio } from './run-stdio.js';

process.exitCode = await runStdio();
