import { startMongoSim } from './server.js';

/** `npm run sim -- mongo [--port N]`: serve until interrupted; prints the URL as one JSON line when ready. */
export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--port');
  const port = at >= 0 ? Number(args[at + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid --port ${String(args[at + 1])}\n`);
    process.exit(2);
  }
  const sim = await startMongoSim({ port });
  process.stdout.write(`${JSON.stringify({ service: 'mongo', url: sim.uri })}\n`);
  const shutdown = (): void => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
