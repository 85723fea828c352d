import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { EventBus, type BridgeEvent } from '../../../daemon/src/events/event-bus.js';
import { authFailureReportLimit, bearerAuth } from '../../../daemon/src/http/middleware/guards.js';
import { errorHandler } from '../../../daemon/src/http/middleware/errors.js';
import { requestLog } from '../../../daemon/src/http/middleware/request-log.js';
import { createSilentLogger } from '../../../daemon/src/logging/logger.js';

describe('auth failure reports', () => {
  let server: Server;
  let clock = 0;
  const published: BridgeEvent[] = [];

  beforeAll(async () => {
    const events = new EventBus();
    events.subscribe((event) => published.push(event));
    const app = express();
    app.use(requestLog(app, createSilentLogger()));
    app.use(
      bearerAuth(
        'secret-token',
        events,
        () => false,
        () => clock,
      ),
    );
    app.get('/x', (_req, res) => {
      res.json({ success: true });
    });
    app.use(errorHandler);
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function failOnce(): Promise<number> {
    const port = (server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/x`, {
      headers: { authorization: 'Bearer wrong' },
    });
    return res.status;
  }

  test('flood is capped and the skipped count reported', async () => {
    clock = 1_000_000;
    for (let i = 0; i < authFailureReportLimit + 5; i++) expect(await failOnce()).toBe(401);
    expect(published).toHaveLength(authFailureReportLimit);
    expect(published.every((event) => event.data.skipped === 0)).toBe(true);

    clock += 60_000;
    expect(await failOnce()).toBe(401);
    expect(published).toHaveLength(authFailureReportLimit + 1);
    expect(published.at(-1)!.data.skipped).toBe(5);
  });
});
