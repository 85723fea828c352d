import type { BridgeEvent } from '../../daemon/src/events/event-bus.js';
import { TestDaemon, type HttpResponse } from '../support/test-daemon.js';

const bodyLimit = 1024 * 1024;

function expectRateLimitHeaders(res: HttpResponse, limit: number, remaining: number): void {
  expect(res.headers['ratelimit-limit']).toBe(String(limit));
  expect(res.headers['ratelimit-remaining']).toBe(String(remaining));
  const reset = Number(res.headers['ratelimit-reset']);
  expect(reset).toBeGreaterThanOrEqual(1);
  expect(reset).toBeLessThanOrEqual(60);
}

/** JSON text of `body` padded with trailing spaces to exactly `size` bytes. */
function padTo(body: unknown, size: number): string {
  const text = JSON.stringify(body);
  const length = Buffer.byteLength(text);
  if (length > size) throw new Error(`body of ${length} bytes is over ${size}`);
  return text + ' '.repeat(size - length);
}

describe('POST /batch rate limit', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({ config: { batch: { rateLimit: 3 } } });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('responses carry the RateLimit headers', async () => {
    await daemon.connectPeer();
    const body = { operations: [{ action: 'get_info' }] };
    for (const remaining of [2, 1, 0]) {
      const res = await daemon.request('POST', '/batch', { body });
      expect(res.status).toBe(200);
      expectRateLimitHeaders(res, 3, remaining);
      expect(res.headers['retry-after']).toBeUndefined();
    }
  });

  test('request over the limit gets 429 with Retry-After', async () => {
    await daemon.connectPeer();
    const body = { operations: [{ action: 'get_info' }] };
    for (let i = 0; i < 3; i++) await daemon.request('POST', '/batch', { body });
    const res = await daemon.request('POST', '/batch', { body });
    expect(res.status).toBe(429);
    expect(res.body.success).toBe(false);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(res.body.error.message).toContain('3 per 60 s');
    expectRateLimitHeaders(res, 3, 0);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body.error.details.retry_after).toBe(retryAfter);
  });

  test('rejection publishes rate_limit.exceeded', async () => {
    const events: BridgeEvent[] = [];
    daemon.daemon.context.events.subscribe((event) => events.push(event));
    const body = { operations: [{ action: 'get_info' }] };
    for (let i = 0; i < 4; i++) await daemon.request('POST', '/batch', { body });
    const exceeded = events.filter((event) => event.event === 'rate_limit.exceeded');
    expect(exceeded).toHaveLength(1);
    const { data } = exceeded[0]!;
    expect(data.route).toBe('POST /batch');
    expect(data.limit).toBe(3);
    expect(data.window).toBe(60);
    expect(data.retry_after).toBeGreaterThanOrEqual(1);
    expect(data.client).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(data)).not.toContain('test-token');
  });

  test('envelope errors count and carry the headers', async () => {
    const invalid = await daemon.request('POST', '/batch', { body: { operations: [] } });
    expect(invalid.status).toBe(400);
    expectRateLimitHeaders(invalid, 3, 2);
    const notJson = await daemon.request('POST', '/batch', { rawBody: 'operations' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('INVALID_JSON');
    expectRateLimitHeaders(notJson, 3, 1);
  });

  test('unauthenticated requests are not counted', async () => {
    const body = { operations: [{ action: 'get_info' }] };
    for (let i = 0; i < 5; i++) {
      const res = await daemon.request('POST', '/batch', { body, token: null });
      expect(res.status).toBe(401);
    }
    const res = await daemon.request('POST', '/batch', { body });
    expect(res.status).toBe(200);
    expectRateLimitHeaders(res, 3, 2);
  });

  test('other routes are not limited', async () => {
    await daemon.connectPeer({ current_scene: 'res://scenes/main.tscn' });
    const body = { operations: [{ action: 'get_info' }] };
    for (let i = 0; i < 4; i++) await daemon.request('POST', '/batch', { body });
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-limit']).toBeUndefined();
  });

  test('window end allows requests again', async () => {
    await daemon.stop();
    daemon = await TestDaemon.start({
      config: { batch: { rateLimit: 1, rateLimitWindowMs: 300 } },
    });
    const body = { operations: [{ action: 'get_info' }] };
    expect((await daemon.request('POST', '/batch', { body })).status).toBe(200);
    expect((await daemon.request('POST', '/batch', { body })).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const res = await daemon.request('POST', '/batch', { body });
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-remaining']).toBe('0');
  });
});

describe('POST /batch body size', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({ config: { batch: { rateLimit: 1000 } } });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('body at the limit with 50 long paths is accepted', async () => {
    const peer = await daemon.connectPeer();
    const longPath = `res://scenes/${'a'.repeat(20_000)}.tscn`;
    const operations = Array.from({ length: 50 }, () => ({
      action: 'load',
      scene_path: longPath,
    }));
    const res = await daemon.request('POST', '/batch', {
      rawBody: padTo({ operations }, bodyLimit),
    });
    expect(res.status).toBe(200);
    expect(res.body.failed).toBe(50);
    for (const report of res.body.operations) {
      expect(report.error.code).toBe('INVALID_SCENE_PATH');
      expect(report.error.message).toContain('the maximum is 4096');
      expect(report.scene_path).toBeNull();
    }
    expect(res.text.length).toBeLessThan(100_000);
    expect(peer.received).toEqual([]);
  });

  test('body at the limit with too many operations gets 400', async () => {
    const operations = Array.from({ length: 40_000 }, () => ({ action: 'get_info' }));
    const res = await daemon.request('POST', '/batch', {
      rawBody: padTo({ operations }, bodyLimit),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual({ count: 40_000, max_operations: 50 });
  });

  test('body one byte over the limit gets 413', async () => {
    const operations = [{ action: 'get_info' }];
    const res = await daemon.request('POST', '/batch', {
      rawBody: padTo({ operations }, bodyLimit + 1),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('BODY_TOO_LARGE');
    expect(res.headers['ratelimit-limit']).toBe('1000');
  });
});

describe('batch jobs and the batch rate limit', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({ config: { batch: { rateLimit: 2 } } });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('batch jobs share the limit with POST /batch', async () => {
    const batch = { operations: [{ action: 'get_info' }] };
    const direct = await daemon.request('POST', '/batch', { body: batch });
    expect(direct.status).toBe(200);
    const job = { type: 'batch_operations', parameters: batch };
    const first = await daemon.request('POST', '/jobs', { body: job });
    expect(first.status).toBe(202);
    expect(first.headers['ratelimit-remaining']).toBe('0');
    const second = await daemon.request('POST', '/jobs', { body: job });
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('RATE_LIMITED');
    expect(second.headers['retry-after']).toBeDefined();
  });

  test('other job types are not limited', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await daemon.request('POST', '/jobs', {
        body: { type: 'cache_warming', parameters: {} },
      });
      expect(res.status).toBe(202);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});
