import { checkAddress, hostOf, isLocalhostName, parseNetwork, urlProblem, type Network } from './ssrf';

const none: Network[] = [];
const reasonFor = (address: string, allowed = none) => {
  const verdict = checkAddress(address, allowed);
  return verdict.allowed ? 'allowed' : verdict.reason;
};
/** The address a URL's host names, as the guard sees it (the WHATWG parser normalizes IPv4 spellings). */
const hostAddress = (url: string) => {
  const host = hostOf(new URL(url));
  return host.kind === 'ip' ? host.address : `name:${host.name}`;
};

describe('webhook SSRF guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.20', 'private'],
    ['169.254.1.1', 'linkLocal'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['2001::1', 'teredo'],
    ['2001:db8::1', 'reserved'],
    ['8.8.8.8', 'allowed'],
    ['93.184.216.34', 'allowed'],
    ['2606:4700:4700::1111', 'allowed'],
  ])('%s → %s', (address, expected) => {
    expect(reasonFor(address)).toBe(expected);
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://0.0.0.0:8080/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[::1]:3000/', '::1'],
    ['http://[0:0:0:0:0:0:0:1]/', '::1'],
    ['http://[::]/', '::'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254'],
    ['http://LOCALHOST./', 'name:localhost'],
    ['http://example.com./hook', 'name:example.com'],
  ])('reads %s as %s', (url, expected) => {
    expect(hostAddress(url)).toBe(expected);
  });

  it('refuses every spelling of loopback once read', () => {
    for (const url of [
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
    ])
      expect(reasonFor(hostAddress(url))).toBe('loopback');
    expect(reasonFor(hostAddress('http://0/'))).toBe('unspecified');
  });

  it('knows localhost names without DNS', () => {
    expect(isLocalhostName('localhost')).toBe(true);
    expect(isLocalhostName('LocalHost.')).toBe(true);
    expect(isLocalhostName('ha.localhost')).toBe(true);
    expect(isLocalhostName('localhost.localdomain')).toBe(true);
    expect(isLocalhostName('notlocalhost.example')).toBe(false);
  });

  it('lets an allowed network through, but never a metadata address', () => {
    const lan = [
      parseNetwork('192.168.1.0/24')!,
      parseNetwork('127.0.0.1')!,
      parseNetwork('169.254.0.0/16')!,
    ];
    expect(reasonFor('192.168.1.20', lan)).toBe('allowed');
    expect(reasonFor('192.168.2.20', lan)).toBe('private');
    expect(reasonFor('127.0.0.1', lan)).toBe('allowed');
    expect(reasonFor('::ffff:127.0.0.1', lan)).toBe('allowed');
    expect(reasonFor('127.0.0.2', lan)).toBe('loopback');
    expect(reasonFor('::1', lan)).toBe('loopback');
    expect(reasonFor('169.254.169.254', lan)).toBe('metadata');
    expect(reasonFor('169.254.10.10', lan)).toBe('allowed');
  });

  it('parses networks', () => {
    expect(parseNetwork('192.168.1.20')?.cidr).toBe('192.168.1.20/32');
    expect(parseNetwork('fd12:3456::/64')?.cidr).toBe('fd12:3456::/64');
    expect(parseNetwork('::1')?.cidr).toBe('::1/128');
    expect(parseNetwork('300.1.1.1')).toBeNull();
    expect(parseNetwork('10.0.0.0/33')).toBeNull();
    expect(parseNetwork('home')).toBeNull();
  });

  it('refuses other schemes and credentials in the URL', () => {
    expect(urlProblem(new URL('ftp://example.com/'))).toBe('scheme');
    expect(urlProblem(new URL('file:///etc/passwd'))).toBe('scheme');
    expect(urlProblem(new URL('gopher://example.com/'))).toBe('scheme');
    expect(urlProblem(new URL('https://user:pw@example.com/'))).toBe('credentials');
    expect(urlProblem(new URL('https://example.com/hook'))).toBeNull();
  });
});
