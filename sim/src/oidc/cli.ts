import { parseArgs } from 'node:util';
import { startOidcSim } from './server.js';

/**
 * `npm run sim -- oidc [--port N] [--tenant-id ID] [--client-id ID]`: serve until SIGINT/SIGTERM, announcing the
 * URLs and a valid one-hour token as one JSON line.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, 'tenant-id': { type: 'string' }, 'client-id': { type: 'string' } },
  });
  const sim = await startOidcSim({
    ...(values.port === undefined ? {} : { port: Number(values.port) }),
    ...(values['tenant-id'] === undefined ? {} : { tenantId: values['tenant-id'] }),
    ...(values['client-id'] === undefined ? {} : { clientId: values['client-id'] }),
  });
  const line = {
    service: 'oidc',
    url: sim.issuerOrigin,
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    issuer: sim.issuer,
    jwksUri: sim.jwksUri,
    token: await sim.mintToken(),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.stop();
}
