/**
 * The http node's egress guard (DESIGN §10): only public addresses, unless WF_HTTP_ALLOW
 * says otherwise. It runs in the HTTP client's connect step, after DNS resolution and
 * before any socket opens, for every connection: the first request, each redirect hop, and
 * a name that resolves to an internal address. The socket is opened to the very address
 * that was checked, so a second DNS answer (rebinding) cannot slip past it.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { buildConnector } from 'undici';
import { isAllowedAddress, normalizeHost, type EgressAllowList } from '../../../common/egress-allow';

/** Host name to addresses, in the order to try them. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** Thrown by the connector; the activity turns it into a non-retryable `EgressDenied`. */
export class EgressDeniedError extends Error {
  override readonly name = 'EgressDeniedError';
  readonly code = 'WF_EGRESS_DENIED';
}

// Each range with the word a refusal uses for it. IPv4-mapped IPv6 (::ffff:a.b.c.d) matches
// the IPv4 ranges through BlockList. Metadata comes first so its address is named as such.
const DENIED: readonly { label: string; ranges: readonly [string, number][] }[] = [
  { label: 'cloud metadata', ranges: [['169.254.169.254', 32], ['fd00:ec2::254', 128]] },
  { label: 'unspecified', ranges: [['0.0.0.0', 8], ['::', 128]] },
  { label: 'loopback', ranges: [['127.0.0.0', 8], ['::1', 128]] },
  { label: 'private', ranges: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7]] },
  { label: 'link-local', ranges: [['169.254.0.0', 16], ['fe80::', 10]] },
  { label: 'carrier-grade NAT', ranges: [['100.64.0.0', 10]] },
  { label: 'multicast or reserved', ranges: [['224.0.0.0', 4], ['240.0.0.0', 4], ['ff00::', 8]] },
];

const DENIED_LISTS = DENIED.map(({ label, ranges }) => {
  const list = new BlockList();
  for (const [address, prefix] of ranges) list.addSubnet(address, prefix, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  return { label, list };
});

/** The kind of non-public range `address` is in, or undefined for a public address. */
export function deniedRange(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return DENIED_LISTS.find(({ list }) => list.check(address, type))?.label;
}

/**
 * The address to connect to for `host`: every address it resolves to must be public or
 * allowed (one internal answer among public ones refuses the name, so the order of DNS
 * answers cannot decide). A host name on the allow list is reached wherever it points.
 */
export async function admittedAddress(host: string, allow: EgressAllowList, resolve: Resolver): Promise<string> {
  const hostname = normalizeHost(host);
  const addresses = isIP(hostname) ? [hostname] : await resolve(hostname);
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' });
  if (allow.hosts.has(hostname)) return addresses[0];
  for (const address of addresses) {
    const range = deniedRange(address);
    if (range === undefined || isAllowedAddress(allow, address)) continue;
    const named = address === hostname ? address : `${hostname} (${address})`;
    throw new EgressDeniedError(`refused to connect to ${named}: a ${range} address; only public addresses are reached unless WF_HTTP_ALLOW lists the host or its range`);
  }
  return addresses[0];
}

/** undici's connector behind the guard: it connects to the checked address, keeping the name for TLS. */
export function guardedConnector(allow: EgressAllowList, resolve: Resolver = systemResolver, connectTimeoutMs = 10_000): buildConnector.connector {
  const connect = buildConnector({ timeout: connectTimeoutMs });
  return (options, callback) => {
    admittedAddress(options.hostname, allow, resolve).then(
      (address) => {
        // The certificate is checked against the name, not the address (undici takes the
        // server name from `host` when it is not given; say it outright for clarity).
        const name = normalizeHost(options.hostname);
        const servername = options.servername ?? (isIP(name) ? undefined : name);
        connect({ ...options, hostname: address, ...(servername ? { servername } : {}) }, callback);
      },
      (error: Error) => callback(error, null),
    );
  };
}
