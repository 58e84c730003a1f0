import ipaddr from 'ipaddr.js';

/**
 * Which resolved addresses an outbound call may connect to. Only globally routable unicast addresses are
 * accepted: private, loopback, link-local (which holds the cloud metadata service at 169.254.169.254),
 * carrier-grade NAT, multicast, reserved and documentation ranges are refused, and so is every IPv6 form
 * that embeds an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64, 6to4, Teredo), because the embedded
 * address is what the packet ends up reaching. Cloud platform endpoints (`METADATA_ADDRESSES`) are refused
 * whatever the policy says.
 */
export interface AddressPolicy {
  /** Tests only: let 127.0.0.0/8 and ::1 through. */
  allowLoopback: boolean;
  /**
   * Let private ranges through (10/8, 172.16/12, 192.168/16, fc00::/7), for a destination reached over a
   * private endpoint (Azure Private Link). Link-local, loopback and metadata addresses stay refused.
   */
  allowPrivate?: boolean;
}

/**
 * Platform endpoints no outbound call of AOC has a reason to reach, refused even where their range is allowed:
 * the metadata services of Azure, AWS, GCP and others (169.254.169.254, AWS's IPv6 fd00:ec2::254, Alibaba's
 * 100.100.100.200) and Azure's WireServer (168.63.129.16, which sits in a public range).
 */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16']);

const PRIVATE_RANGES = new Set(['private', 'uniqueLocal']);

/** Why `address` may not be connected to, or undefined when it may (a plain unicast address). */
export function addressRefusal(address: string, policy: AddressPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  const allowed =
    range === 'unicast' ||
    (range === 'loopback' && policy.allowLoopback) ||
    (PRIVATE_RANGES.has(range) && policy.allowPrivate === true);
  if (allowed) {
    return METADATA_ADDRESSES.has(parsed.toString())
      ? `${address} is a cloud metadata or platform address`
      : undefined;
  }
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
