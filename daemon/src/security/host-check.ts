import net from 'node:net';

/**
 * Decides whether a Host or Origin header names this daemon. A web page of
 * another site, or a DNS name rebound to 127.0.0.1, carries its own name in
 * these headers, so rejecting unknown names keeps browsers from driving the
 * daemon.
 */
export class HostCheck {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  private readonly anyAddress: boolean;
  /** The port the daemon listens on, which every accepted Host header carries. */
  readonly port: number;

  constructor(options: {
    bindHost: string;
    port: number;
    allowedHosts: readonly string[];
    allowedOrigins: readonly string[];
  }) {
    this.port = options.port;
    const names = ['localhost', '127.0.0.1', '[::1]', options.bindHost, ...options.allowedHosts];
    this.hosts = new Set(names.map((name) => formatHost(name, options.port)));
    this.origins = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase()));
    for (const host of this.hosts) this.origins.add(`http://${host}`);
    this.anyAddress = options.bindHost === '0.0.0.0' || options.bindHost === '::';
  }

  /** Tells whether a Host header value names this daemon. */
  hostAllowed(host: string | undefined): boolean {
    if (!host) return false;
    const value = host.toLowerCase();
    if (this.hosts.has(value)) return true;
    // Bound to every interface, the daemon is reached by any of its addresses.
    // An IP literal cannot be a rebound DNS name, so those are accepted.
    return this.anyAddress && isIpLiteralHost(value);
  }

  /** Tells whether an Origin header value belongs to this daemon (absent means not a browser). */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const value = origin.toLowerCase();
    if (this.origins.has(value)) return true;
    if (!this.anyAddress) return false;
    try {
      const url = new URL(value);
      return url.protocol === 'http:' && isIpLiteralHost(url.host);
    } catch {
      return false;
    }
  }
}

function formatHost(name: string, port: number): string {
  const lower = name.toLowerCase();
  if (lower.includes(':') && !lower.startsWith('[')) {
    // A name that already carries a port, or a bare IPv6 address.
    return net.isIPv6(lower) ? `[${lower}]:${port}` : lower;
  }
  return `${lower}:${port}`;
}

function isIpLiteralHost(host: string): boolean {
  const withoutPort = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.split(':')[0];
  return net.isIP(withoutPort ?? '') !== 0;
}
