import { checkAddress } from '../../../daemon/src/webhooks/address-policy.js';

describe('webhook address policy', () => {
  test.each([
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['168.63.129.16', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['2002:a9fe:a9fe::1', 'cloud metadata'],
    // The URL parser writes [::169.254.169.254] as [::a9fe:a9fe].
    ['::a9fe:a9fe', 'cloud metadata'],
    ['::a9fe:101', 'link-local'],
    ['::e000:1', 'multicast'],
  ])('%s is always rejected as %s', (address, kind) => {
    for (const allowPrivate of [true, false]) {
      const verdict = checkAddress(address, allowPrivate);
      expect(verdict.allowed).toBe(false);
      if (!verdict.allowed) expect(verdict.reason).toContain(kind);
    }
  });

  test.each([
    '127.0.0.1',
    '::1',
    '10.1.2.3',
    '172.16.0.5',
    '192.168.1.20',
    'fd12::1',
    '100.64.0.1',
  ])('%s depends on allowPrivateNetworks', (address) => {
    expect(checkAddress(address, true)).toEqual({ allowed: true });
    const verdict = checkAddress(address, false);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain('allowPrivateNetworks is false');
  });

  test.each(['93.184.215.14', '2606:4700::1111', '8.8.8.8'])('public %s is allowed', (address) => {
    expect(checkAddress(address, false)).toEqual({ allowed: true });
  });

  test('non-address is rejected', () => {
    expect(checkAddress('example.com', true)).toEqual({
      allowed: false,
      reason: 'example.com is not an IP address',
    });
  });
});
