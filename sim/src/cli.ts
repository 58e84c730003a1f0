/**
 * `npm run sim -- <mongo|microsoft|llm|oidc> [--port N] [...]`: start one simulator in the foreground and
 * print one JSON line with its URLs when ready.
 */
const [service, ...args] = process.argv.slice(2);
const runners: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  mongo: () => import('./mongo/cli.js'),
  microsoft: () => import('./microsoft/cli.js'),
  llm: () => import('./llm/cli.js'),
  oidc: () => import('./oidc/cli.js'),
};
const load = service === undefined ? undefined : runners[service];
if (!load) {
  process.stderr.write(`usage: npm run sim -- <${Object.keys(runners).join('|')}> [--port N] [...]\n`);
  process.exit(2);
}
const runner = await load();
await runner.run(args);
