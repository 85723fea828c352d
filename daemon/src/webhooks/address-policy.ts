import ipaddr from 'ipaddr.js';

/**
 * Cloud instance-metadata and host-agent addresses. Several are inside ranges
 * that are blocked anyway (169.254.0.0/16). The others are in private or
 * public space and are listed so that allowPrivateNetworks cannot open them.
 */
const metadataAddresses = new Map<string, string>([
  ['169.254.169.254', 'AWS, GCP, Azure, Oracle and OpenStack instance metadata'],
  ['169.254.170.2', 'AWS ECS task metadata'],
  ['fd00:ec2::254', 'AWS instance metadata over IPv6'],
  ['100.100.100.200', 'Alibaba Cloud instance metadata'],
  ['168.63.129.16', 'Azure host agent (WireServer)'],
  ['192.0.0.192', 'Oracle Cloud instance metadata'],
]);

/** Ranges no webhook may reach, whatever the configuration says. */
const blockedRanges = new Map<string, string>([
  ['unspecified', 'an unspecified address'],
  ['linkLocal', 'a link-local address'],
  ['multicast', 'a multicast address'],
  ['broadcast', 'the broadcast address'],
]);

/** Ranges reachable only while `webhooks.allowPrivateNetworks` is true. */
const privateRanges = new Map<string, string>([
  ['loopback', 'a loopback address'],
  ['private', 'a private-network address'],
  ['uniqueLocal', 'a unique-local IPv6 address'],
  ['carrierGradeNat', 'a carrier-grade NAT address'],
]);

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides whether a webhook delivery may connect to an IP address. IPv6
 * forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the
 * IPv4 address they carry.
 */
export function checkAddress(address: string, allowPrivateNetworks: boolean): AddressVerdict {
  if (!ipaddr.isValid(address))
    return { allowed: false, reason: `${address} is not an IP address` };
  const parsed = embeddedIPv4(ipaddr.parse(address));
  const normalized = parsed.toNormalizedString();
  const canonical =
    parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6).toRFC5952String() : normalized;

  const metadata = metadataAddresses.get(canonical);
  if (metadata)
    return { allowed: false, reason: `${address} is a cloud metadata address (${metadata})` };

  const range = parsed.range();
  const blocked = blockedRanges.get(range);
  if (blocked) return { allowed: false, reason: `${address} is ${blocked}` };

  const privateRange = privateRanges.get(range);
  if (privateRange && !allowPrivateNetworks) {
    return {
      allowed: false,
      reason: `${address} is ${privateRange} and webhooks.allowPrivateNetworks is false`,
    };
  }
  return { allowed: true };
}

function embeddedIPv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const bytes = v6.toByteArray();
  const range = v6.range();
  // NAT64 (64:ff9b::/96) and SIIT (::ffff:0:0:0/96) carry the IPv4 address in the last 32 bits.
  if (range === 'rfc6052' || range === 'rfc6145') return ipaddr.fromByteArray(bytes.slice(12));
  // 6to4 (2002::/16) carries it in bits 16 to 47.
  if (range === '6to4') return ipaddr.fromByteArray(bytes.slice(2, 6));
  // The deprecated IPv4-compatible form (::/96, RFC 4291 2.5.5.1) carries it in the last
  // 32 bits. `::` and `::1` keep their IPv6 meaning.
  if (range !== 'unspecified' && range !== 'loopback' && bytes.slice(0, 12).every((b) => b === 0))
    return ipaddr.fromByteArray(bytes.slice(12));
  return v6;
}
