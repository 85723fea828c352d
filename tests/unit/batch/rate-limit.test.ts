import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import { EventBus, type BridgeEvent } from '../../../daemon/src/events/event-bus.js';
import { errorHandler } from '../../../daemon/src/http/middleware/errors.js';
import { requestLog } from '../../../daemon/src/http/middleware/request-log.js';
import { createSilentLogger } from '../../../daemon/src/logging/logger.js';
import { rateLimit, tokenClientKey } from '../../../daemon/src/security/rate-limit.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { success?: boolean; error?: { code: string } };
}

describe('rateLimit middleware', () => {
  let server: Server;
  let events: EventBus;
  const published: BridgeEvent[] = [];

  beforeEach(async () => {
    events = new EventBus();
    published.length = 0;
    events.subscribe((event) => published.push(event));
    const app = express();
    app.use(requestLog(createSilentLogger()));
    app.get(
      '/limited',
      rateLimit({ route: 'GET /limited', limit: 2, windowMs: 60_000, events }),
      (_req, res) => {
        res.json({ success: true });
      },
    );
    app.use(errorHandler);
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function get(token?: string): Promise<Reply> {
    const { port } = server.address() as AddressInfo;
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/limited', headers }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  }

  test('each token has its own budget', async () => {
    expect((await get('token-a')).status).toBe(200);
    expect((await get('token-a')).status).toBe(200);
    const rejected = await get('token-a');
    expect(rejected.status).toBe(429);
    expect(rejected.body.error?.code).toBe('RATE_LIMITED');
    const other = await get('token-b');
    expect(other.status).toBe(200);
    expect(other.headers['ratelimit-remaining']).toBe('1');
  });

  test('rejection publishes one event with the route', async () => {
    for (let i = 0; i < 3; i++) await get('token-a');
    expect(published.map((event) => event.event)).toEqual(['rate_limit.exceeded']);
    expect(published[0]!.data).toMatchObject({ route: 'GET /limited', limit: 2, window: 60 });
  });

  test('requests without a token share the address budget', async () => {
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    expect((await get('token-a')).status).toBe(200);
  });
});

describe('tokenClientKey', () => {
  test('key is the SHA-256 of the bearer token', () => {
    const req = { headers: { authorization: 'Bearer secret-token' } } as unknown as Request;
    const expected = createHash('sha256').update('secret-token').digest('hex');
    expect(tokenClientKey(req)).toBe(expected);
  });
});
