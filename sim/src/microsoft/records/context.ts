import type { Rng } from '../random.js';
import type { Tenant } from '../tenant.js';

/** What a record builder gets: the tenant, a generator seeded for this one record, and its time. */
export interface RecordContext {
  tenant: Tenant;
  rng: Rng;
  /** Epoch milliseconds of the activity. */
  ms: number;
  /** The activity time as Graph writes it (seven fractional digits, Z). */
  graphTime: string;
}

export type AuditRecord = Record<string, unknown>;

/** Graph's modifiedProperties carry JSON-encoded strings: `"\"Sales\""`, `"[\"a\",\"b\"]"`, `"[true]"`. */
export const encoded = (value: unknown): string => JSON.stringify(value);

export const IP_PREFIXES = [
  '20.190.151.',
  '40.126.32.',
  '52.97.146.',
  '86.12.44.',
  '92.184.105.',
  '203.0.113.',
  '198.51.100.',
];

export function ipAddress(rng: Rng): string {
  return `${rng.pick(IP_PREFIXES)}${1 + rng.int(250)}`;
}

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)',
];
