process.stderr.write('aoc-mcp: not built yet\n');
process.exitCode = 1;
