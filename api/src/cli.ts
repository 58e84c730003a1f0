import { serve } from '@hono/node-server';
import { createLogger, loadConfig, readEnvFile, redactConfig } from '@aoc/core';
import { createApp } from './app.js';

const env = { ...readEnvFile('.env'), ...process.env };
let config;
try {
  config = loadConfig(env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const log = createLogger({ level: config.log.level, pretty: process.stdout.isTTY });
log.info({ config: redactConfig(config) }, 'configuration loaded');
const app = createApp(config);
const server = serve({ fetch: app.fetch, hostname: config.server.host, port: config.server.port }, (info) => {
  log.info({ url: `http://${config.server.host}:${info.port}` }, 'AOC listening');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
