// Runs the built AOC app under Deno (started by scripts/deno-check.mjs): the same createApp as on Node,
// served by Deno.serve, proving the app needs nothing but web-standard Request/Response.
/* global Deno */
import { getConnInfo } from 'hono/deno';
import { createApp } from '@aoc/api';
import { createCore, loadConfig, silentLogger } from '@aoc/core';

const config = loadConfig(Deno.env.toObject());
const core = await createCore(config, { log: silentLogger() });
const app = createApp(core, config, {
  version: `deno-${Deno.version.deno}`,
  socketAddressOf: (c) => getConnInfo(c).remote.address,
});
const server = Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) =>
      console.log(JSON.stringify({ service: 'aoc-deno', url: `http://127.0.0.1:${port}` })),
  },
  (request, info) => app.fetch(request, { remoteAddr: info.remoteAddr }),
);
Deno.addSignalListener('SIGTERM', async () => {
  await server.shutdown();
  await core.close();
  Deno.exit(0);
});
