import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Every setting of AOC, read from the environment (and an optional `.env`), parsed once at the entry point.
 * Core never reads `process.env`: the entry passes the variables to `loadConfig`, which returns the typed
 * `Config` or throws one `ConfigError` listing every bad variable.
 */

const SECRET = 'secret';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      if (TRUE.has(value)) return true;
      if (FALSE.has(value)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true/false/1/0, got "${value}"` });
      return z.NEVER;
    });

const int = (min: number, max: number, fallback?: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      if (!/^-?\d+$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number, got "${value}"` });
        return z.NEVER;
      }
      const n = Number(value);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}, got ${n}` });
        return z.NEVER;
      }
      return n;
    });

const list = () =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

function text(): z.ZodPipe<
  z.ZodOptional<z.ZodString>,
  z.ZodTransform<string | undefined, string | undefined>
>;
function text(
  fallback: string,
): z.ZodPipe<z.ZodOptional<z.ZodString>, z.ZodTransform<string, string | undefined>>;
function text(fallback?: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : value));
}

const secret = () => text().meta({ [SECRET]: true });

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True when a URL's host is a loopback address (plain http is accepted only there). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

const baseUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      const raw = value === undefined || value === '' ? fallback : value;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        ctx.addIssue({ code: 'custom', message: `not a valid URL: "${raw}"` });
        return z.NEVER;
      }
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
        ctx.addIssue({ code: 'custom', message: 'must use https (plain http only for loopback hosts)' });
        return z.NEVER;
      }
      return raw.replace(/\/+$/, '');
    });

const optionalUrl = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      try {
        new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a valid URL' });
        return z.NEVER;
      }
      return value;
    });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const tenantOrGuid = () =>
  text().refine((value) => value === undefined || GUID.test(value) || /^[a-z0-9.-]+$/i.test(value), {
    message: 'expected a GUID or a tenant domain',
  });

const DEFAULT_METRICS_IPS = '127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7';

/** The environment variables AOC reads, each described; `.env.example` is checked against this list. */
export const EnvSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .optional()
    .default('development')
    .describe(
      'development enables the demo tenant and the embedded database when Microsoft credentials or MONGO_URI are missing; production refuses to start without them.',
    ),
  PORT: int(1, 65535, 8000).describe('HTTP port of the API and console.'),
  HOST: text('127.0.0.1').describe('Interface to listen on; 0.0.0.0 in containers.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info')
    .describe('Minimum log level.'),
  TRUST_PROXY: bool(false).describe(
    'Trust X-Forwarded-For from a reverse proxy (nginx) for client addresses.',
  ),
  CORS_ORIGINS: list().describe(
    'Comma-separated origins allowed to call the API from a browser; empty = same origin only.',
  ),
  DOCS_ENABLED: bool(false).describe('Serve the OpenAPI document at /openapi.json and docs at /docs.'),
  METRICS_ALLOWED_IPS: list()
    .transform((ips) => (ips.length > 0 ? ips : DEFAULT_METRICS_IPS.split(',')))
    .describe('Addresses or CIDR ranges allowed to read /metrics; default loopback and private ranges.'),

  TENANT_ID: tenantOrGuid().describe('Entra tenant to ingest from (GUID or domain).'),
  CLIENT_ID: text().describe('Application (client) id of the app registration used for ingestion.'),
  CLIENT_SECRET: secret().describe('Client secret of that app registration.'),
  LOGIN_BASE_URL: baseUrl('https://login.microsoftonline.com').describe(
    'Entra login origin (sovereign clouds differ).',
  ),
  GRAPH_BASE_URL: baseUrl('https://graph.microsoft.com').describe('Microsoft Graph origin.'),
  MANAGEMENT_BASE_URL: baseUrl('https://manage.office.com').describe(
    'Office 365 Management Activity API origin.',
  ),

  MONGO_URI: secret().describe('MongoDB connection string; unset = embedded database.'),
  MONGO_DB: text('micro_soc').describe('Database name.'),
  MONGO_ROOT_USERNAME: text('root').describe('Docker Compose: MongoDB root user.'),
  MONGO_ROOT_PASSWORD: secret().describe('Docker Compose: MongoDB root password.'),
  MONGO_PORT: int(1, 65535, 27017).describe('Docker Compose: published MongoDB port.'),

  AUTH_ENABLED: bool(false).describe('Require Entra bearer tokens on the API, console and MCP.'),
  AUTH_TENANT_ID: tenantOrGuid().describe('Tenant whose tokens are accepted.'),
  AUTH_CLIENT_ID: text().describe('Application id the tokens must be issued for (audience).'),
  AUTH_ALLOWED_ROLES: list().describe('App roles granting access (comma-separated).'),
  AUTH_ALLOWED_GROUPS: list().describe('Group object ids granting access (comma-separated).'),
  MCP_STATELESS: bool(false).describe(
    'Serve /mcp without sessions, so several API replicas can answer it without sticky sessions (turns off legacy SSE).',
  ),

  ENABLE_PERIODIC_FETCH: bool(false).describe('Fetch new audit events on a schedule inside the API process.'),
  FETCH_INTERVAL_MINUTES: int(1, 1440, 60).describe('Minutes between scheduled fetches (1..1440).'),
  DEMO_EVENTS_INTERVAL_SECONDS: int(1, 3600, 60).describe(
    "Seconds between the built-in demo tenant's new events (only without Microsoft credentials, outside production).",
  ),
  RETENTION_DAYS: int(1, 36500).describe(
    'Delete events older than this many days (TTL index); unset = keep forever.',
  ),

  AI_FEATURES_ENABLED: bool(true).describe('Offer ask/explain in REST, tRPC, MCP and the console.'),
  LLM_API_KEY: secret().describe(
    'API key of the LLM provider; unset = deterministic answers without an LLM.',
  ),
  LLM_BASE_URL: baseUrl('https://api.openai.com/v1').describe(
    'OpenAI-compatible base URL, or the Azure OpenAI resource URL.',
  ),
  LLM_MODEL: text('gpt-4o-mini').describe('Model name, or the deployment name on Azure.'),
  LLM_MAX_EVENTS: int(1, 500, 50).describe('Most events sent to the LLM for one question.'),
  LLM_TIMEOUT_SECONDS: int(1, 600, 30).describe('Timeout of one LLM call.'),
  LLM_API_VERSION: text().describe('Azure OpenAI api-version; set it to use the Azure request form.'),
  LLM_ALLOWED_DOMAINS: list().describe(
    'Hosts the LLM may be called on (wildcards like *.openai.azure.com); empty = any.',
  ),
  LLM_ALLOW_PRIVATE_NETWORK: bool(false).describe(
    'Let the LLM host resolve to a private address (Azure OpenAI Private Link); metadata and link-local stay refused.',
  ),

  SIEM_ENABLED: bool(false).describe('Forward ingested events and alerts to SIEM_WEBHOOK_URL.'),
  SIEM_WEBHOOK_URL: optionalUrl()
    .meta({ [SECRET]: true })
    .describe('SIEM endpoint receiving JSON batches.'),
  SIEM_ALLOWED_DOMAINS: list().describe('Hosts SIEM and rule webhooks may target (wildcards allowed).'),
  ALERTS_ENABLED: bool(true).describe('Evaluate alert rules on each ingested batch.'),

  WEBHOOK_CLIENT_SECRET: secret().describe('clientState expected on Microsoft Graph change notifications.'),
  AZURE_KEY_VAULT_NAME: text()
    .refine((v) => v === undefined || /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(v), {
      message: 'not a valid Key Vault name (3-24 letters, digits and hyphens)',
    })
    .describe('Read secrets from this Azure Key Vault at startup.'),
  MAPPINGS_PATH: text('mappings.yml').describe('Path of mappings.yml (labels and summary templates).'),
});
export type Env = z.input<typeof EnvSchema>;

/** Names of the variables whose values are never printed. */
export const SECRET_KEYS: readonly string[] = Object.entries(EnvSchema.shape)
  .filter(([, schema]) => schema.meta()?.[SECRET] === true)
  .map(([key]) => key);

function toConfig(env: z.output<typeof EnvSchema>) {
  return {
    env: env.NODE_ENV,
    server: {
      host: env.HOST,
      port: env.PORT,
      trustProxy: env.TRUST_PROXY,
      corsOrigins: env.CORS_ORIGINS,
      docsEnabled: env.DOCS_ENABLED,
      metricsAllowedIps: env.METRICS_ALLOWED_IPS,
    },
    log: { level: env.LOG_LEVEL },
    mongo: { uri: env.MONGO_URI, db: env.MONGO_DB },
    compose: {
      rootUsername: env.MONGO_ROOT_USERNAME,
      rootPassword: env.MONGO_ROOT_PASSWORD,
      port: env.MONGO_PORT,
    },
    microsoft: {
      tenantId: env.TENANT_ID,
      clientId: env.CLIENT_ID,
      clientSecret: env.CLIENT_SECRET,
      loginBaseUrl: env.LOGIN_BASE_URL,
      graphBaseUrl: env.GRAPH_BASE_URL,
      managementBaseUrl: env.MANAGEMENT_BASE_URL,
    },
    auth: {
      enabled: env.AUTH_ENABLED,
      tenantId: env.AUTH_TENANT_ID,
      clientId: env.AUTH_CLIENT_ID,
      allowedRoles: env.AUTH_ALLOWED_ROLES,
      allowedGroups: env.AUTH_ALLOWED_GROUPS,
    },
    mcp: { stateless: env.MCP_STATELESS },
    fetch: { periodic: env.ENABLE_PERIODIC_FETCH, intervalMinutes: env.FETCH_INTERVAL_MINUTES },
    retentionDays: env.RETENTION_DAYS,
    demo: { eventsIntervalSeconds: env.DEMO_EVENTS_INTERVAL_SECONDS },
    ai: {
      enabled: env.AI_FEATURES_ENABLED,
      apiKey: env.LLM_API_KEY,
      baseUrl: env.LLM_BASE_URL,
      model: env.LLM_MODEL,
      maxEvents: env.LLM_MAX_EVENTS,
      timeoutSeconds: env.LLM_TIMEOUT_SECONDS,
      apiVersion: env.LLM_API_VERSION,
      allowedDomains: env.LLM_ALLOWED_DOMAINS,
      allowPrivateNetwork: env.LLM_ALLOW_PRIVATE_NETWORK,
    },
    siem: {
      enabled: env.SIEM_ENABLED,
      webhookUrl: env.SIEM_WEBHOOK_URL,
      allowedDomains: env.SIEM_ALLOWED_DOMAINS,
    },
    alerts: { enabled: env.ALERTS_ENABLED },
    webhooks: { clientSecret: env.WEBHOOK_CLIENT_SECRET },
    keyVault: { name: env.AZURE_KEY_VAULT_NAME },
    mappingsPath: env.MAPPINGS_PATH,
  };
}

/** AOC's typed settings, as every package receives them. */
export type Config = ReturnType<typeof toConfig>;

/** True when all three ingestion credentials are present. */
export function hasMicrosoftCredentials(config: Config): boolean {
  const { tenantId, clientId, clientSecret } = config.microsoft;
  return Boolean(tenantId && clientId && clientSecret);
}

function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.auth.enabled) {
    if (!config.auth.tenantId) problems.push('AUTH_TENANT_ID: required when AUTH_ENABLED=true');
    if (!config.auth.clientId) problems.push('AUTH_CLIENT_ID: required when AUTH_ENABLED=true');
  }
  if (config.siem.enabled && !config.siem.webhookUrl) {
    problems.push('SIEM_WEBHOOK_URL: required when SIEM_ENABLED=true');
  }
  const { tenantId, clientId, clientSecret } = config.microsoft;
  const given = [tenantId, clientId, clientSecret].filter(Boolean).length;
  if (given > 0 && given < 3) {
    const missing = (['TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET'] as const).filter(
      (_key, i) => ![tenantId, clientId, clientSecret][i],
    );
    problems.push(`${missing.join(', ')}: required together with the other Microsoft credentials`);
  }
  if (config.env === 'production' && !config.mongo.uri) {
    // The embedded database is in memory or under .aoc/ of a checkout: fine for a demo, data loss in production.
    problems.push(
      'MONGO_URI: required when NODE_ENV=production (the embedded database is for development only)',
    );
  }
  if (config.env === 'production' && given === 0) {
    problems.push(
      'TENANT_ID, CLIENT_ID, CLIENT_SECRET: required when NODE_ENV=production (the demo tenant is for development only)',
    );
  }
  return problems;
}

/**
 * Parse the environment into a `Config`. Throws one `ConfigError` whose message lists every bad variable
 * and why; values are never echoed for secrets.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const known: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) known[key] = env[key];
  const parsed = EnvSchema.safeParse(known);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const message = SECRET_KEYS.includes(key)
        ? issue.message.replace(/"[^"]*"/g, '"[redacted]"')
        : issue.message;
      return `${key}: ${message}`;
    });
    throw configError(problems);
  }
  const config = toConfig(parsed.data);
  const problems = crossFieldProblems(config);
  if (problems.length > 0) throw configError(problems);
  return config;
}

function configError(problems: string[]): ConfigError {
  return new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
    details: problems,
  });
}

/**
 * Read a `.env` file (if it exists) into a plain object. The process environment wins over the file, so the
 * caller merges `{ ...readEnvFile(path), ...process.env }`.
 */
export function readEnvFile(path: string): Record<string, string> {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseEnv(content) as Record<string, string>;
}

const REDACTED = '[redacted]';

/** A copy of the config safe to log: every secret replaced, and passwords inside URIs masked. */
export function redactConfig(config: Config): Config {
  const mask = (value: string | undefined) => (value === undefined ? undefined : REDACTED);
  return {
    ...config,
    mongo: { ...config.mongo, uri: config.mongo.uri === undefined ? undefined : redactUri(config.mongo.uri) },
    compose: { ...config.compose, rootPassword: mask(config.compose.rootPassword) },
    microsoft: { ...config.microsoft, clientSecret: mask(config.microsoft.clientSecret) },
    ai: { ...config.ai, apiKey: mask(config.ai.apiKey) },
    siem: { ...config.siem, webhookUrl: mask(config.siem.webhookUrl) },
    webhooks: { clientSecret: mask(config.webhooks.clientSecret) },
  };
}

/** A URI with its password (and query, which may carry keys) masked. */
export function redactUri(uri: string): string {
  return uri
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^@/?#]*@/i, `$1${REDACTED}@`)
    .replace(/\?.*$/, (q) => (/(password|secret|key|token|sig)=/i.test(q) ? `?${REDACTED}` : q));
}
