/**
 * The exceptions to the http node's egress guard (WF_HTTP_ALLOW, DESIGN §10): host names
 * allowed whatever they resolve to, and addresses or CIDR ranges allowed although they are
 * loopback, private, link-local or metadata addresses. Parsed once by src/config.ts; the
 * guard is src/activities/nodes/http/egress-guard.ts. Matching is node:net's BlockList,
 * which also matches the IPv4-mapped IPv6 form (::ffff:10.0.0.1) of an IPv4 range.
 */
import { BlockList, isIP } from 'node:net';

export interface EgressAllowList {
  /** Lower-case host names, exactly as a URL names them. */
  readonly hosts: ReadonlySet<string>;
  /** Addresses and ranges (a match means "allowed", despite the class name). */
  readonly addresses: BlockList;
  /** The entries as given, for messages. */
  readonly entries: readonly string[];
}

/** What `npm start` allows for local development: the loopback addresses. */
export const LOCAL_DEVELOPMENT_ALLOW = ['127.0.0.0/8', '::1'] as const;

export const ALLOW_ENTRY_RULE = 'a host name (api.internal), an IP address (10.0.0.5, ::1) or a CIDR range (10.0.0.0/8, fd00::/8)';

// RFC 1123 labels; a trailing dot is dropped before matching.
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export class InvalidAllowEntry extends Error {
  override readonly name = 'InvalidAllowEntry';
  constructor(readonly entry: string) {
    super(`"${entry}" is not ${ALLOW_ENTRY_RULE}`);
  }
}

/** A host as the guard compares it: lower case, without IPv6 brackets or a trailing dot. */
export function normalizeHost(host: string): string {
  const lower = host.trim().toLowerCase();
  const unbracketed = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}

function addRange(list: BlockList, entry: string): boolean {
  const slash = entry.indexOf('/');
  const address = normalizeHost(slash < 0 ? entry : entry.slice(0, slash));
  const family = isIP(address);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash < 0) {
    list.addAddress(address, type);
    return true;
  }
  const prefixText = entry.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) return false;
  list.addSubnet(address, prefix, type);
  return true;
}

/** The allow list of these entries; throws InvalidAllowEntry for the first that is none of the three forms. */
export function parseEgressAllow(entries: readonly string[]): EgressAllowList {
  const hosts = new Set<string>();
  const addresses = new BlockList();
  const kept: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    if (!addRange(addresses, entry)) {
      const host = normalizeHost(entry);
      // All digits and dots is a mistyped address (300.1.1.1), never a name.
      if (!HOST_NAME.test(host) || /^[\d.]+$/.test(host)) throw new InvalidAllowEntry(entry);
      hosts.add(host);
    }
    kept.push(entry);
  }
  return { hosts, addresses, entries: kept };
}

/** No exceptions: only public addresses. The default wherever nothing else is configured. */
export const PUBLIC_ONLY: EgressAllowList = parseEgressAllow([]);

export function isAllowedAddress(allow: EgressAllowList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && allow.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
