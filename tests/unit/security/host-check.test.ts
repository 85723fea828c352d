import { HostCheck } from '../../../daemon/src/security/host-check.js';

describe('HostCheck', () => {
  const loopback = new HostCheck({
    bindHost: '127.0.0.1',
    port: 8080,
    allowedHosts: ['quest.lan'],
    allowedOrigins: ['http://tools.local:3000'],
  });
  const anyAddress = new HostCheck({
    bindHost: '0.0.0.0',
    port: 8080,
    allowedHosts: [],
    allowedOrigins: [],
  });

  test.each([
    ['127.0.0.1:8080', true],
    ['localhost:8080', true],
    ['LOCALHOST:8080', true],
    ['[::1]:8080', true],
    ['quest.lan:8080', true],
    ['127.0.0.1:9090', false],
    ['evil.example:8080', false],
    ['192.168.1.20:8080', false],
    [undefined, false],
  ])('loopback daemon: Host %s allowed is %s', (host, expected) => {
    expect(loopback.hostAllowed(host)).toBe(expected);
  });

  test.each([
    [undefined, true],
    ['http://127.0.0.1:8080', true],
    ['http://localhost:8080', true],
    ['http://tools.local:3000', true],
    ['http://127.0.0.1:3000', false],
    ['https://evil.example', false],
    ['null', false],
  ])('loopback daemon: Origin %s allowed is %s', (origin, expected) => {
    expect(loopback.originAllowed(origin)).toBe(expected);
  });

  test('any-address daemon accepts IP literals only', () => {
    expect(anyAddress.hostAllowed('192.168.1.20:8080')).toBe(true);
    expect(anyAddress.hostAllowed('[fe80::1]:8080')).toBe(true);
    expect(anyAddress.hostAllowed('rebind.example:8080')).toBe(false);
    expect(anyAddress.originAllowed('http://192.168.1.20:8080')).toBe(true);
    expect(anyAddress.originAllowed('http://rebind.example:8080')).toBe(false);
  });
});
