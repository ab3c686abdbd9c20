import ipaddr from 'ipaddr.js'

// Which resolved addresses an outbound call may reach. Only global unicast: ipaddr.js
// names every other range (private, loopback, link-local with the cloud metadata address
// 169.254.169.254, carrier-grade NAT, unique-local with fd00:ec2::254, multicast,
// reserved, benchmarking, 6to4, Teredo, NAT64 …), so we allow the one name rather than
// list the ones to refuse. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4
// address it carries.

export type AddressVerdict = 'public' | 'loopback' | 'private' | 'refused'

// What a self-hosted install may open to its own network when an admin says so
// (RFC 1918, IPv6 unique-local, carrier-grade NAT): never link-local, never the cloud
// metadata addresses (169.254.169.254 is link-local; fd00:ec2::254 is named here).
const PRIVATE_RANGES = new Set(['private', 'uniqueLocal', 'carrierGradeNat'])
const METADATA = new Set(['fd00:ec2::254', '100.100.100.200'])

/** How an address is judged; 'refused' also for text that is not an IP address. */
export function classifyAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return 'refused'
  let ip = ipaddr.parse(address)
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address()
  const range = ip.range()
  if (range === 'unicast') return 'public'
  if (range === 'loopback') return 'loopback'
  if (PRIVATE_RANGES.has(range) && !METADATA.has(ip.toString())) return 'private'
  return 'refused'
}

/** Whether an address may be reached under the policy (loopback only with its explicit switch). */
export const addressAllowed = (address: string, allowLoopback: boolean) => {
  const v = classifyAddress(address)
  return v === 'public' || (v === 'loopback' && allowLoopback)
}
