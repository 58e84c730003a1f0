import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { EnvSchema, isLoopbackHost } from '../config.js';
import { ConfigError } from '../errors.js';

/** The Key Vault secret names AOC reads, and the variable each one sets. */
export const KEY_VAULT_SECRETS = {
  'aoc-client-secret': 'CLIENT_SECRET',
  'aoc-llm-api-key': 'LLM_API_KEY',
  'aoc-mongo-uri': 'MONGO_URI',
  'aoc-webhook-client-secret': 'WEBHOOK_CLIENT_SECRET',
} as const;

export interface KeyVaultOptions {
  /** The vault's URL; default `https://{AZURE_KEY_VAULT_NAME}.vault.azure.net`. Plain http only on loopback. */
  vaultUrl?: string;
  /** Default: `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI…). */
  credential?: TokenCredential;
  /** Retries of a failed request before giving up (default 2). */
  maxRetries?: number;
  /** The most the whole read may take (default 30 s), so a black-holed vault cannot hang startup. */
  timeoutMs?: number;
}

type Env = Record<string, string | undefined>;

const GET_PERMISSION =
  'grant the identity AOC runs as the "Get" permission on secrets (access policy) or the ' +
  '"Key Vault Secrets User" role (Azure RBAC)';

/**
 * When `AZURE_KEY_VAULT_NAME` is set, read AOC's secrets from that vault and return `env` with them applied
 * (Key Vault wins over `.env` and the process environment); otherwise return `env` unchanged without loading
 * the Azure SDK. A secret missing from the vault (404) leaves the variable as it was. A vault that cannot be
 * reached, a credential that yields no token and a refused read (401/403) throw a `ConfigError` naming the
 * vault and what to fix. Call it before `loadConfig`.
 */
export async function applyKeyVaultSecrets(env: Env, options: KeyVaultOptions = {}): Promise<Env> {
  const parsedName = EnvSchema.shape.AZURE_KEY_VAULT_NAME.safeParse(env.AZURE_KEY_VAULT_NAME);
  if (!parsedName.success) {
    throw new ConfigError(
      `AZURE_KEY_VAULT_NAME: ${parsedName.error.issues[0]?.message ?? 'invalid vault name'}`,
    );
  }
  const name = parsedName.data;
  if (name === undefined) return env;
  const vaultUrl = (options.vaultUrl ?? `https://${name}.vault.azure.net`).replace(/\/+$/, '');
  const vault = `Key Vault "${name}" (${vaultUrl})`;
  const client = await createClient(vaultUrl, options);
  const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000);

  const entries = Object.entries(KEY_VAULT_SECRETS) as [keyof typeof KEY_VAULT_SECRETS, string][];
  const values = await Promise.all(
    entries.map(async ([secretName, variable]) => {
      const value = await readSecret(client, secretName, signal, vault);
      return value === undefined ? undefined : ([variable, value] as const);
    }),
  );
  const overrides = Object.fromEntries(values.filter((entry) => entry !== undefined));
  return { ...env, ...overrides };
}

async function createClient(vaultUrl: string, options: KeyVaultOptions): Promise<SecretClient> {
  let url: URL;
  try {
    url = new URL(vaultUrl);
  } catch {
    throw new ConfigError(`Key Vault URL is not a valid URL: "${vaultUrl}"`);
  }
  const insecure = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !insecure) {
    throw new ConfigError(`Key Vault URL must use https: "${vaultUrl}"`);
  }
  // Loaded only here, so deployments without a vault never load the Azure SDK.
  const { SecretClient } = await import('@azure/keyvault-secrets');
  const credential = options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  return new SecretClient(vaultUrl, markTokenFailures(credential), {
    retryOptions: { maxRetries: options.maxRetries ?? 2, retryDelayInMs: 500, maxRetryDelayInMs: 4_000 },
    // A loopback vault is a test double: it answers over plain http and names no *.vault.azure.net resource.
    ...(insecure ? { allowInsecureConnection: true, disableChallengeResourceVerification: true } : {}),
  });
}

/** Thrown when the credential, not the vault, failed: the SDK passes it through unchanged. */
class TokenFailure extends Error {
  override readonly name = 'TokenFailure';
}

function markTokenFailures(credential: TokenCredential): TokenCredential {
  return {
    getToken: async (scopes, options) => {
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        throw new TokenFailure(error instanceof Error ? error.message : String(error), { cause: error });
      }
    },
  };
}

async function readSecret(
  client: SecretClient,
  secretName: string,
  abortSignal: AbortSignal,
  vault: string,
): Promise<string | undefined> {
  try {
    const secret = await client.getSecret(secretName, { abortSignal });
    return secret.value === undefined || secret.value === '' ? undefined : secret.value;
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 404) return undefined;
    throw vaultError(error, status, secretName, vault);
  }
}

function vaultError(error: unknown, status: unknown, secretName: string, vault: string): ConfigError {
  const detail = error instanceof Error ? error.message : String(error);
  const options = { cause: error, details: { secret: secretName, status } };
  if (status === 403) {
    return new ConfigError(
      `${vault} refused to read secret "${secretName}" (403 Forbidden): ${GET_PERMISSION}. (${detail})`,
      options,
    );
  }
  if (status === 401) {
    return new ConfigError(
      `${vault} rejected the access token while reading "${secretName}" (401): check that the identity ` +
        `belongs to the vault's tenant, and ${GET_PERMISSION}. (${detail})`,
      options,
    );
  }
  if (typeof status === 'number') {
    return new ConfigError(`${vault} answered ${status} while reading "${secretName}": ${detail}`, options);
  }
  const name = error instanceof Error ? error.name : '';
  if (name === 'TokenFailure') {
    return new ConfigError(
      `${vault}: no access token for the vault (${detail}). DefaultAzureCredential needs a managed ` +
        `identity, workload identity, AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET or an Azure CLI ` +
        `login; then ${GET_PERMISSION}`,
      options,
    );
  }
  if (name === 'AbortError') {
    return new ConfigError(`${vault} did not answer in time while reading "${secretName}"`, options);
  }
  if (name === 'RestError') {
    return new ConfigError(
      `${vault} cannot be reached (${detail}): check AZURE_KEY_VAULT_NAME, DNS and the vault's network ` +
        `rules (firewall, private endpoint)`,
      options,
    );
  }
  return new ConfigError(`${vault}: reading "${secretName}" failed: ${detail}`, options);
}
