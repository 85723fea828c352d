import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it. */
export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  receivedAt: number;
}

/** Response of the receiver: a status, headers and an optional delay before responding. */
export interface ReceiverReply {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type ReceiverHandler = (delivery: ReceivedDelivery, index: number) => ReceiverReply;

/**
 * An HTTP server on 127.0.0.1 port 0 that records every request, counts the
 * requests in progress at once, and responds as its handler returns.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  inFlight = 0;
  maxInFlight = 0;
  handler: ReceiverHandler = () => ({ status: 200 });
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const delivery = {
          path: req.url ?? '/',
          headers: req.headers,
          body,
          json,
          receivedAt: Date.now(),
        };
        const index = this.received.push(delivery) - 1;
        const reply = this.handler(delivery, index);
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const answer = () => {
          this.inFlight -= 1;
          res.writeHead(reply.status, reply.headers ?? {});
          res.end('ok');
        };
        if (!reply.delayMs) return answer();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          answer();
        }, reply.delayMs);
        this.timers.add(timer);
      });
    });
  }

  static async start(handler?: ReceiverHandler): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    if (handler) receiver.handler = handler;
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Waits until at least `count` requests arrived. */
  async waitForCount(count: number, timeoutMs = 10_000): Promise<ReceivedDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`receiver got ${this.received.length} of ${count} requests`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.received;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
