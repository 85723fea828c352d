import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkAddress } from './address-policy.js';

/** One resolved address of a host name, as `dns.lookup` returns it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses; `dns.lookup` with `all: true` by default. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutgoingDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Aborts the request, such as when the daemon stops. */
  signal?: AbortSignal;
}

export interface DeliveryResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
}

/** The address check rejected the target before any connection was made. */
export class AddressRejectedError extends Error {
  override name = 'AddressRejectedError';
}

/** The receiver did not answer within the delivery timeout. */
export class DeliveryTimeoutError extends Error {
  override name = 'DeliveryTimeoutError';
}

const defaultResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Sends webhook POSTs. Before each request the host name is resolved once,
 * every address is checked by the address policy, and the socket connects to
 * the first checked address through a pinned `lookup`. A second DNS answer
 * between check and connect (DNS rebinding) therefore cannot change the
 * target. TLS still verifies the certificate against the host name.
 */
export class HttpSender {
  /** Requests that passed the address check and were handed to node:http. */
  requestsStarted = 0;
  private readonly resolve: Resolver;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });

  constructor(private readonly options: { allowPrivateNetworks: boolean; resolve?: Resolver }) {
    this.resolve = options.resolve ?? defaultResolver;
  }

  async send(delivery: OutgoingDelivery): Promise<DeliveryResponse> {
    const url = new URL(delivery.url);
    const target = await this.checkedAddress(url);
    const signal = delivery.signal
      ? AbortSignal.any([delivery.signal, AbortSignal.timeout(delivery.timeoutMs)])
      : AbortSignal.timeout(delivery.timeoutMs);
    try {
      return await this.post(url, target, delivery, signal);
    } catch (error) {
      if (signal.aborted && !delivery.signal?.aborted) {
        throw new DeliveryTimeoutError(`no response within ${delivery.timeoutMs} ms`);
      }
      throw error;
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async checkedAddress(url: URL): Promise<ResolvedAddress> {
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(hostname);
    const addresses = family ? [{ address: hostname, family }] : await this.lookupAll(hostname);
    if (addresses.length === 0) throw new Error(`${hostname} resolved to no address`);
    for (const { address } of addresses) {
      const verdict = checkAddress(address, this.options.allowPrivateNetworks);
      if (!verdict.allowed) {
        const via = family ? '' : `${hostname} resolves to `;
        throw new AddressRejectedError(`address rejected: ${via}${verdict.reason}`);
      }
    }
    return addresses[0]!;
  }

  private async lookupAll(hostname: string): Promise<ResolvedAddress[]> {
    try {
      return await this.resolve(hostname);
    } catch (error) {
      throw new Error(`DNS lookup of ${hostname} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private post(
    url: URL,
    target: ResolvedAddress,
    delivery: OutgoingDelivery,
    signal: AbortSignal,
  ): Promise<DeliveryResponse> {
    const secure = url.protocol === 'https:';
    // Hands node the address checked above, whatever a new DNS answer would say.
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [target]);
      else callback(null, target.address, target.family);
    };
    const requestOptions: http.RequestOptions = {
      method: 'POST',
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: { ...delivery.headers, 'content-length': String(Buffer.byteLength(delivery.body)) },
      agent: secure ? this.httpsAgent : this.httpAgent,
      lookup: pinned,
      signal,
    };
    this.requestsStarted += 1;
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(requestOptions, (response) => {
        // The body is drained but not kept: only the status and headers decide the outcome.
        response.resume();
        response.on('end', () =>
          resolve({ statusCode: response.statusCode ?? 0, headers: response.headers }),
        );
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(delivery.body);
    });
  }
}
