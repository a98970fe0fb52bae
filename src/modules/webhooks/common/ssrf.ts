import ipaddr from 'ipaddr.js';

/**
 * The SSRF rules of webhook delivery, as pure functions (docs/webhooks.md#ssrf). A delivery may reach an address only
 * when it is ordinary public unicast (`ipaddr.js` range `unicast`) or inside an allowed network (configuration or
 * the platform admins' list); metadata endpoints never. Every address a host resolves to must pass, and the
 * connection is then pinned to the checked address (see `sender.ts`), so DNS cannot switch it afterwards.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Cloud metadata services: refused even inside an allowed network (AWS/GCP/Azure/OpenStack, AWS IPv6, ECS, Alibaba). */
const METADATA = ['169.254.169.254', 'fd00:ec2::254', '169.254.170.2', '100.100.100.200'];

export type Verdict =
  { allowed: true; address: string } | { allowed: false; address: string; reason: string };

/** A network in CIDR form (`192.168.1.20/32`, `fd12::/64`); a bare address is the single address. */
export interface Network {
  cidr: string;
  range: [Address, number];
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or prefix; null when it is none of those. */
export function parseNetwork(text: string): Network | null {
  const value = text.trim();
  try {
    if (value.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(value);
      const range: [Address, number] = [address, bits];
      return { cidr: `${address.toString()}/${bits}`, range };
    }
    if (!ipaddr.isValid(value)) return null;
    const address = ipaddr.parse(value);
    const bits = address.kind() === 'ipv4' ? 32 : 128;
    return { cidr: `${address.toString()}/${bits}`, range: [address, bits] };
  } catch {
    return null;
  }
}

/** The address as it is reached: an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is its IPv4 address. */
function normalized(text: string): Address | null {
  const bare = text.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return null;
  const address = ipaddr.parse(bare);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    return (address as ipaddr.IPv6).toIPv4Address();
  return address;
}

const inNetwork = (address: Address, network: Network): boolean =>
  address.kind() === network.range[0].kind() && address.match(network.range);

/** Whether a delivery may connect to this IP address. */
export function checkAddress(text: string, allowed: readonly Network[]): Verdict {
  const address = normalized(text);
  if (!address) return { allowed: false, address: text, reason: 'not an IP address' };
  const shown = address.toString();
  if (METADATA.some((m) => normalized(m)!.toString() === shown))
    return { allowed: false, address: shown, reason: 'metadata' };
  const range = address.range();
  if (range === 'unicast') return { allowed: true, address: shown };
  if (allowed.some((network) => inNetwork(address, network))) return { allowed: true, address: shown };
  return { allowed: false, address: shown, reason: range };
}

/** Names that mean this machine whatever DNS says (RFC 6761): answered as loopback without asking DNS. */
export function isLocalhostName(name: string): boolean {
  const host = name.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.localdomain';
}

export type Host = { kind: 'ip'; address: string } | { kind: 'name'; name: string };

/**
 * The host of a URL. The WHATWG parser has already turned every IPv4 spelling (`2130706433`, `0177.0.0.1`,
 * `0x7f.1`, `127.1`) into dotted decimal and bracketed IPv6 into its compressed form.
 */
export function hostOf(url: URL): Host {
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(bare)) return { kind: 'ip', address: bare };
  return { kind: 'name', name: bare.toLowerCase().replace(/\.$/, '') };
}

export type UrlProblem = 'scheme' | 'credentials' | 'host';

/** What is wrong with an endpoint URL before any address is looked at; null when nothing. */
export function urlProblem(url: URL): UrlProblem | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'scheme';
  if (url.username || url.password) return 'credentials';
  if (!url.hostname) return 'host';
  return null;
}

/** Checks every address a host resolved to: the first refused one decides, else all are allowed. */
export function checkAll(addresses: readonly string[], allowed: readonly Network[]): Verdict[] {
  return addresses.map((a) => checkAddress(a, allowed));
}
