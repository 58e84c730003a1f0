import ipaddr from 'ipaddr.js';
import type { Context } from 'hono';
import type { SocketAddressOf } from '../app-env.js';

/** Parse an address, turning IPv4-mapped IPv6 (`::ffff:10.0.0.1`, as Node reports dual-stack peers) into IPv4. */
export function parseAddress(raw: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const trimmed = raw.trim().replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(trimmed)) return undefined;
  return ipaddr.process(trimmed);
}

/**
 * The client's address: the socket peer, or, only when `trustProxy` is set, the right-most `X-Forwarded-For`
 * entry (the one our own proxy appended; entries further left are whatever the client chose to send).
 */
export function clientAddress(
  c: Context,
  socketAddressOf: SocketAddressOf,
  trustProxy: boolean,
): string | undefined {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').pop()?.trim();
    if (last) return parseAddress(last)?.toString();
  }
  const socket = socketAddressOf(c);
  return socket === undefined ? undefined : parseAddress(socket)?.toString();
}

/**
 * The origin clients use to reach us: the request's own, or behind a trusted proxy the one its
 * `X-Forwarded-Proto` / `X-Forwarded-Host` name.
 */
export function publicOrigin(request: Request, trustProxy: boolean): string {
  const url = new URL(request.url);
  if (!trustProxy) return url.origin;
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  try {
    return new URL(
      `${proto === 'https' || proto === 'http' ? proto : url.protocol.slice(0, -1)}://${host || url.host}`,
    ).origin;
  } catch {
    return url.origin;
  }
}

/** A matcher for a list of addresses and CIDR ranges; an unparsable entry throws at startup, not per request. */
export function createAddressMatcher(entries: readonly string[]): (address: string | undefined) => boolean {
  const ranges = entries.map((entry) => {
    try {
      if (entry.includes('/')) return ipaddr.parseCIDR(entry);
      const address = ipaddr.process(entry);
      return [address, address.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
    } catch (error) {
      throw new Error(`not an address or CIDR range: "${entry}"`, { cause: error });
    }
  });
  return (address) => {
    if (address === undefined) return false;
    const parsed = parseAddress(address);
    if (!parsed) return false;
    return ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  };
}
