import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the guard checks them all). */
export type ResolveHost = (host: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts: `localhost` resolves like anything else). */
export const systemResolve: ResolveHost = async (host) => {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** A URL hostname that is an IP literal (brackets removed), or undefined for a name. */
export function literalAddress(hostname: string): ResolvedAddress | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (!ipaddr.isValid(bare)) return undefined;
  // WHATWG URL parsing already turned decimal, octal and hex forms (http://2130706433/) into dotted quads;
  // `parse` would accept the odd forms too, so only canonical literals are treated as addresses.
  const parsed = ipaddr.parse(bare);
  return { address: parsed.toString(), family: parsed.kind() === 'ipv6' ? 6 : 4 };
}

/**
 * A `lookup` for the socket that always answers the one address the guard checked, whatever name it is
 * asked for: the connection cannot be re-pointed by a second DNS answer (no rebinding window).
 */
export function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      (callback as unknown as (err: null, addresses: ResolvedAddress[]) => void)(null, [target]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}
