import ipaddr from 'ipaddr.js';

/**
 * Which resolved addresses an outbound call may connect to. Only globally routable unicast addresses are
 * accepted: private, loopback, link-local (which holds the cloud metadata service at 169.254.169.254),
 * carrier-grade NAT, multicast, reserved and documentation ranges are refused, and so is every IPv6 form
 * that embeds an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64, 6to4, Teredo), because the embedded
 * address is what the packet ends up reaching. `allowLoopback` (tests only) lets 127.0.0.0/8 and ::1 through.
 */
export interface AddressPolicy {
  allowLoopback: boolean;
}

/** Why `address` may not be connected to, or undefined when it may (a plain unicast address). */
export function addressRefusal(address: string, policy: AddressPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && policy.allowLoopback) return undefined;
  if (parsed.kind() === 'ipv6' && range === 'ipv4Mapped') {
    const embedded = (parsed as ipaddr.IPv6).toIPv4Address().toString();
    return `${address} is an IPv4-mapped IPv6 address (of ${embedded})`;
  }
  return `${address} is a ${describeRange(range)} address`;
}

const RANGE_NAMES: Record<string, string> = {
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local (cloud metadata lives here)',
  uniqueLocal: 'private (unique local)',
  unspecified: 'unspecified',
  carrierGradeNat: 'carrier-grade NAT',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

function describeRange(range: string): string {
  return RANGE_NAMES[range] ?? `non-public (${range})`;
}
