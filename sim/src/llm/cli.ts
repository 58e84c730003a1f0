import { parseArgs } from 'node:util';
import { startLlmSim } from './server.js';

/** `npm run sim -- llm [--port N] [--api-key KEY]`: serve until SIGINT/SIGTERM, announcing the URLs as one JSON line. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, 'api-key': { type: 'string' } },
  });
  const sim = await startLlmSim({
    ...(values.port === undefined ? {} : { port: Number(values.port) }),
    ...(values['api-key'] === undefined ? {} : { apiKey: values['api-key'] }),
  });
  process.stdout.write(
    `${JSON.stringify({ service: 'llm', url: sim.url, azureUrl: sim.azureUrl, apiKey: sim.apiKey })}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.stop();
}
