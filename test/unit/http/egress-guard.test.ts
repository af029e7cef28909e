/** The egress guard's ranges and allow list, without any network traffic. */
import { describe, expect, test } from 'vitest';
import { ConfigError, loadLocalStackConfig, loadWorkerConfig } from '../../../src/config';
import { InvalidAllowEntry, PUBLIC_ONLY, parseEgressAllow } from '../../../src/common/egress-allow';
import { admittedAddress, deniedRange, EgressDeniedError, type Resolver } from '../../../src/activities/nodes/http/egress-guard';

describe('denied ranges', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast or reserved'],
    ['255.255.255.255', 'multicast or reserved'],
    // IPv4-mapped IPv6, in both spellings a URL or a resolver may give.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['::ffff:169.254.3.4', 'link-local'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:100.64.0.1', 'carrier-grade NAT'],
    ['::ffff:192.168.0.1', 'private'],
  ])('%s is %s', (address, label) => {
    expect(deniedRange(address)).toBe(label);
  });

  test.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '100.63.255.255', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', 'fec0::1'])('%s is public', (address) => {
    expect(deniedRange(address)).toBeUndefined();
  });
});

const resolver =
  (answers: Record<string, string[]>): Resolver =>
  (name) =>
    Promise.resolve(answers[name] ?? []);

describe('admittedAddress', () => {
  const dns = resolver({ 'public.test': ['93.184.216.34'], 'inside.test': ['10.0.0.7'], 'mixed.test': ['93.184.216.34', '127.0.0.1'], 'loop.test': ['127.0.0.5'] });

  test('a public name resolves to its address', async () => {
    await expect(admittedAddress('public.test', PUBLIC_ONLY, dns)).resolves.toBe('93.184.216.34');
  });

  test('a name resolving to a private address is refused, naming both', async () => {
    const refused = await admittedAddress('inside.test', PUBLIC_ONLY, dns).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EgressDeniedError);
    expect((refused as Error).message).toContain('inside.test (10.0.0.7): a private address');
    expect((refused as Error).message).toContain('WF_HTTP_ALLOW');
  });

  test('one internal answer among public ones refuses the name', async () => {
    await expect(admittedAddress('mixed.test', PUBLIC_ONLY, dns)).rejects.toThrow(/loopback/);
  });

  test('an address literal is checked without DNS, brackets and mapped forms included', async () => {
    await expect(admittedAddress('[::1]', PUBLIC_ONLY, dns)).rejects.toThrow(EgressDeniedError);
    await expect(admittedAddress('[::ffff:7f00:1]', PUBLIC_ONLY, dns)).rejects.toThrow(EgressDeniedError);
    await expect(admittedAddress('169.254.169.254', PUBLIC_ONLY, dns)).rejects.toThrow(/cloud metadata/);
  });

  test('a CIDR on the allow list admits its addresses, and only those', async () => {
    const allow = parseEgressAllow(['127.0.0.0/30', '10.0.0.7']);
    await expect(admittedAddress('127.0.0.3', allow, dns)).resolves.toBe('127.0.0.3');
    await expect(admittedAddress('inside.test', allow, dns)).resolves.toBe('10.0.0.7');
    await expect(admittedAddress('127.0.0.4', allow, dns)).rejects.toThrow(EgressDeniedError);
    await expect(admittedAddress('loop.test', allow, dns)).rejects.toThrow(EgressDeniedError);
  });

  test('an allowed IPv4 range covers its IPv4-mapped IPv6 form', async () => {
    await expect(admittedAddress('[::ffff:127.0.0.1]', parseEgressAllow(['127.0.0.1']), dns)).resolves.toBe('::ffff:127.0.0.1');
  });

  test('a host name on the allow list is reached wherever it points, case and trailing dot aside', async () => {
    const allow = parseEgressAllow(['Loop.Test']);
    await expect(admittedAddress('loop.test.', allow, dns)).resolves.toBe('127.0.0.5');
    await expect(admittedAddress('inside.test', allow, dns)).rejects.toThrow(EgressDeniedError);
  });

  test('a name without addresses is a network error, not a refusal', async () => {
    const failed = await admittedAddress('nowhere.test', PUBLIC_ONLY, dns).catch((error: unknown) => error);
    expect(failed).not.toBeInstanceOf(EgressDeniedError);
    expect((failed as { code?: string }).code).toBe('ENOTFOUND');
  });
});

describe('WF_HTTP_ALLOW', () => {
  test('hosts, addresses and CIDRs of both families, separated by commas', () => {
    const allow = loadWorkerConfig({ WF_HTTP_ALLOW: ' api.internal , 10.0.0.0/8,fd00::/8 ,::1,192.168.1.20' }).httpAllow;
    expect([...allow.hosts]).toEqual(['api.internal']);
    expect(allow.addresses.check('10.9.9.9', 'ipv4')).toBe(true);
    expect(allow.addresses.check('fd12::1', 'ipv6')).toBe(true);
    expect(allow.addresses.check('::1', 'ipv6')).toBe(true);
    expect(allow.addresses.check('192.168.1.21', 'ipv4')).toBe(false);
  });

  test('unset allows nothing for a worker; npm start adds loopback', () => {
    expect(loadWorkerConfig({}).httpAllow.entries).toEqual([]);
    const local = loadLocalStackConfig('/tmp/data', { WF_HTTP_ALLOW: 'api.internal' }).httpAllow;
    expect(local.entries).toEqual(['127.0.0.0/8', '::1', 'api.internal']);
  });

  test.each(['10.0.0.0/33', '300.1.1.1', 'fd00::/129', 'http://api.internal', 'under_score.test', '10.0.0.0/x', 'a..b'])('"%s" is a ConfigError naming the variable and the entry', (entry) => {
    const load = (): unknown => loadWorkerConfig({ WF_HTTP_ALLOW: `api.internal,${entry}` });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`WF_HTTP_ALLOW: "${entry}"`);
  });

  test('parseEgressAllow names the bad entry', () => {
    expect(() => parseEgressAllow(['1.2.3.4/40'])).toThrow(InvalidAllowEntry);
  });
});
