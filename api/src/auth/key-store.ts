import { createLocalJWKSet, errors } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { UnavailableError } from '@aoc/core';
import type { Logger } from '@aoc/core';

export interface KeyStoreOptions {
  jwksUri: string;
  fetch: typeof fetch;
  now: () => number;
  log: Logger;
  /** Keys older than this are refreshed in the background on the next use (Entra rotates every few weeks). */
  refreshAfterMs?: number;
  /** The least time between two fetches caused by an unknown `kid`; bounds what a flood of forged kids costs. */
  unknownKidCooldownMs?: number;
  timeoutMs?: number;
}

export interface KeyStore {
  /** A jose key resolver: the matching signing key, refetching the set at most once per cooldown for a new kid. */
  getKey: JWTVerifyGetKey;
  /** How many times the JWKS endpoint was asked (for tests and metrics). */
  fetchCount(): number;
}

const HOUR = 3_600_000;

/**
 * Signing keys of one JWKS endpoint, built once per process. Unlike jose's `createRemoteJWKSet`, the last
 * good key set keeps verifying tokens while the endpoint is down: a failed refresh is logged and retried
 * later, never turned into a wave of 401s. Nothing found inside a token (`jku`, `x5u`) is ever fetched.
 */
export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const refreshAfter = options.refreshAfterMs ?? 6 * HOUR;
  const cooldown = options.unknownKidCooldownMs ?? 60_000;
  const timeout = options.timeoutMs ?? 5_000;
  let keys: { resolve: JWTVerifyGetKey; kids: Set<string>; fetchedAt: number } | undefined;
  let inflight: Promise<void> | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let fetches = 0;

  async function load(): Promise<void> {
    lastAttemptAt = options.now();
    fetches += 1;
    const res = await options.fetch(options.jwksUri, {
      signal: AbortSignal.timeout(timeout),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`JWKS endpoint answered ${res.status}`);
    const body = (await res.json()) as JSONWebKeySet;
    if (!Array.isArray(body.keys)) throw new Error('JWKS document has no keys array');
    const kids = new Set(
      body.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string'),
    );
    keys = { resolve: createLocalJWKSet(body), kids, fetchedAt: options.now() };
  }

  /** One fetch at a time; failures keep the previous keys. */
  function refresh(): Promise<void> {
    inflight ??= load()
      .catch((error: unknown) => {
        options.log.warn(
          { err: error, jwksUri: options.jwksUri },
          'JWKS refresh failed; keeping the last good keys',
        );
        if (!keys)
          throw new UnavailableError('The sign-in provider’s keys cannot be fetched', { cause: error });
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!keys) {
      // Before the first success, attempts are still spaced by the cooldown so a down endpoint is not hammered.
      if (options.now() - lastAttemptAt < cooldown && !inflight) {
        throw new UnavailableError('The sign-in provider’s keys cannot be fetched');
      }
      await refresh();
    } else if (options.now() - keys.fetchedAt > refreshAfter && options.now() - lastAttemptAt >= cooldown) {
      void refresh();
    }
    const kid = header.kid;
    if (kid !== undefined && keys && !keys.kids.has(kid) && options.now() - lastAttemptAt >= cooldown) {
      await refresh();
    }
    if (!keys) throw new UnavailableError('The sign-in provider’s keys cannot be fetched');
    if (kid !== undefined && !keys.kids.has(kid)) throw new errors.JWKSNoMatchingKey();
    return keys.resolve(header, token);
  };

  return { getKey, fetchCount: () => fetches };
}
