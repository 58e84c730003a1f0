import { LRUCache } from 'lru-cache';
import type { BearerAuth, HttpClient } from '../../http/index.js';

/** Resolves directory object ids to display names. */
export interface NameResolver {
  /**
   * Display names of the given ids that Graph knows. Ids it does not know, or a failed lookup, are simply
   * absent from the map (the caller keeps the id); a failure is reported through `onError`, never thrown.
   */
  resolve(ids: Iterable<string>, signal?: AbortSignal): Promise<ReadonlyMap<string, string>>;
}

export interface NameResolverOptions {
  http: HttpClient;
  auth: BearerAuth;
  graphBaseUrl: string;
  /** How long a name (or a miss) is trusted; default 1 h. */
  ttlMs?: number;
  /** Cache size; default 50,000 ids. */
  max?: number;
  onError?: (error: unknown) => void;
}

/** `directoryObjects/getByIds` takes at most 1,000 ids per call (https://learn.microsoft.com/graph/api/directoryobject-getbyids). */
const MAX_IDS_PER_CALL = 1000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Cached for ids Graph does not know, so they are not asked for again until the TTL passes. */
const MISS = '';

/** A name resolver over `POST /v1.0/directoryObjects/getByIds` with an LRU+TTL cache shared across runs. */
export function createNameResolver(options: NameResolverOptions): NameResolver {
  const cache = new LRUCache<string, string>({ max: options.max ?? 50_000, ttl: options.ttlMs ?? 3_600_000 });
  const url = `${options.graphBaseUrl}/v1.0/directoryObjects/getByIds`;

  async function lookup(ids: string[], signal?: AbortSignal): Promise<void> {
    const { body } = await options.http.json<{ value?: unknown }>({
      source: 'names',
      url,
      method: 'POST',
      auth: options.auth,
      signal,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids }),
    });
    const found = new Set<string>();
    for (const item of Array.isArray(body.value) ? body.value : []) {
      if (typeof item !== 'object' || item === null) continue;
      const record = item as Record<string, unknown>;
      const name = firstString(record.displayName, record.userPrincipalName, record.appDisplayName);
      if (typeof record.id !== 'string' || name === undefined) continue;
      cache.set(record.id.toLowerCase(), name);
      found.add(record.id.toLowerCase());
    }
    for (const id of ids) if (!found.has(id)) cache.set(id, MISS);
  }

  return {
    async resolve(ids, signal) {
      // Cached by lower-case id; answered under the id as the caller spelled it.
      const wanted = new Map<string, string>();
      for (const id of ids) if (GUID.test(id)) wanted.set(id.toLowerCase(), id);
      const missing = [...wanted.keys()].filter((id) => !cache.has(id));
      for (let i = 0; i < missing.length; i += MAX_IDS_PER_CALL) {
        try {
          await lookup(missing.slice(i, i + MAX_IDS_PER_CALL), signal);
        } catch (error) {
          if (signal?.aborted) throw error;
          options.onError?.(error);
          break;
        }
      }
      const names = new Map<string, string>();
      for (const [key, id] of wanted) {
        const name = cache.get(key);
        if (name !== undefined && name !== MISS) names.set(id, name);
      }
      return names;
    },
  };
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.length > 0) return value;
  return undefined;
}

/**
 * Object ids in directory audit records whose display name is missing: the initiating user or service
 * principal and every target resource (https://learn.microsoft.com/graph/api/resources/directoryaudit).
 */
export function unnamedObjectIds(records: Iterable<Record<string, unknown>>): Set<string> {
  const ids = new Set<string>();
  const add = (entity: unknown, idKey: string) => {
    if (typeof entity !== 'object' || entity === null) return;
    const e = entity as Record<string, unknown>;
    const id = e[idKey];
    if (typeof id === 'string' && GUID.test(id) && !(typeof e.displayName === 'string' && e.displayName)) {
      ids.add(id);
    }
  };
  for (const record of records) {
    const initiatedBy = record.initiatedBy as Record<string, unknown> | null | undefined;
    add(initiatedBy?.user, 'id');
    add(initiatedBy?.app, 'servicePrincipalId');
    if (Array.isArray(record.targetResources)) for (const target of record.targetResources) add(target, 'id');
  }
  return ids;
}
