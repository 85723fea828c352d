import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import type { BridgeConfig } from '../../daemon/src/config/defaults.js';
import { eventNames } from '../../daemon/src/events/event-bus.js';
import { daemonVersion } from '../../daemon/src/version.js';
import { TestDaemon, waitFor } from '../support/test-daemon.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

type WebhookSettings = Partial<BridgeConfig['webhooks']>;

describe('webhook delivery', () => {
  let daemon: TestDaemon | undefined;
  let receiver: WebhookReceiver;

  async function startDaemon(webhooks: WebhookSettings = {}, log?: pino.Logger) {
    daemon = await TestDaemon.start({
      config: { webhooks: { retryDelaysMs: [50, 100, 150], timeoutMs: 2000, ...webhooks } },
      ...(log ? { log } : {}),
    });
    return daemon;
  }

  async function register(body: Record<string, unknown> = {}) {
    const res = await daemon!.request('POST', '/webhooks', {
      body: { url: receiver.url(), events: ['*'], ...body },
    });
    expect(res.status).toBe(201);
    return res.body.webhook as { id: string; secret: string };
  }

  const publish = (event: (typeof eventNames)[number], data: Record<string, unknown> = {}) =>
    daemon!.daemon.context.events.publish(event, data);

  async function history(id: string, query = '') {
    const res = await daemon!.request('GET', `/webhooks/${id}/deliveries${query}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function waitForStatus(id: string, status: string, timeoutMs = 5000) {
    let latest: { status?: string } = {};
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      latest = (await history(id)).deliveries[0] ?? {};
      if (latest.status === status) return latest;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`delivery status stayed ${latest.status}, expected ${status}`);
  }

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await receiver.close();
  });

  test('every event kind arrives', async () => {
    await startDaemon();
    const webhook = await register();
    for (const name of eventNames) publish(name, { name });
    const received = await receiver.waitForCount(eventNames.length);
    const events = received.map((delivery) => delivery.json.event).sort();
    expect(events).toEqual([...eventNames].sort());
    for (const delivery of received) {
      expect(delivery.headers['x-webhook-event']).toBe(delivery.json.event);
      expect(delivery.json.data).toEqual({ name: delivery.json.event });
      expect(delivery.json.webhook_id).toBe(webhook.id);
    }
  });

  test('filter limits the events sent', async () => {
    await startDaemon();
    await register({ events: ['job.completed'] });
    publish('job.started');
    publish('scene.loaded');
    publish('job.completed', { job_id: 'j1' });
    const [delivery] = await receiver.waitForCount(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(1);
    expect(delivery!.json.event).toBe('job.completed');
  });

  test('delivery carries payload and headers', async () => {
    await startDaemon();
    const webhook = await register();
    const before = Math.floor(Date.now() / 1000);
    publish('scene.loaded', { scene_path: 'res://scenes/main.tscn' });
    const [delivery] = await receiver.waitForCount(1);
    const { headers, json } = delivery!;
    expect(Object.keys(json).sort()).toEqual([
      'data',
      'delivery_id',
      'event',
      'timestamp',
      'webhook_id',
    ]);
    expect(json.delivery_id).toMatch(/^dlv_/);
    expect(Date.parse(json.timestamp)).not.toBeNaN();
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe(`godot-bridge/${daemonVersion}`);
    expect(headers['x-webhook-event']).toBe('scene.loaded');
    expect(headers['x-webhook-id']).toBe(webhook.id);
    expect(headers['x-webhook-delivery']).toBe(json.delivery_id);
    expect(headers['x-webhook-attempt']).toBe('1');
    expect(headers['webhook-id']).toBe(json.delivery_id);
    expect(Number(headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
  });

  test('both signatures verify with node:crypto', async () => {
    await startDaemon();
    const webhook = await register();
    publish('job.completed', { job_id: 'j1' });
    const [{ headers, body }] = (await receiver.waitForCount(1)) as [
      (typeof receiver.received)[number],
    ];
    const hex = createHmac('sha256', webhook.secret).update(body).digest('hex');
    expect(headers['x-webhook-signature']).toBe(`sha256=${hex}`);
    const key = Buffer.from(webhook.secret.slice('whsec_'.length), 'base64');
    const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
    const base64 = createHmac('sha256', key).update(signed).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${base64}`);
    const verified = new Webhook(webhook.secret).verify(body, headers as Record<string, string>);
    expect(verified).toMatchObject({ event: 'job.completed', data: { job_id: 'j1' } });
  });

  test('history pages newest first', async () => {
    await startDaemon();
    const webhook = await register();
    for (let i = 0; i < 5; i++) publish('job.started', { n: i });
    await receiver.waitForCount(5);
    await waitFor(() =>
      daemon!.daemon.context.webhooks.store
        .listDeliveries(webhook.id, 10, 0)
        .deliveries.every((delivery) => delivery.status === 'succeeded'),
    );
    const all = await history(webhook.id);
    expect(all.total).toBe(5);
    const order = all.deliveries.map((d: { payload: { data: { n: number } } }) => d.payload.data.n);
    expect(order).toEqual([4, 3, 2, 1, 0]);
    const page = await history(webhook.id, '?limit=2&offset=1');
    expect(page.total).toBe(5);
    expect(
      page.deliveries.map((d: { payload: { data: { n: number } } }) => d.payload.data.n),
    ).toEqual([3, 2]);
    const [first] = page.deliveries;
    expect(first).toMatchObject({
      event: 'job.started',
      status: 'succeeded',
      success: true,
      attempt: 1,
      status_code: 200,
      error: null,
      webhook_id: webhook.id,
    });
    expect(first.duration_ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(first.created_at)).not.toBeNaN();
    expect(Date.parse(first.completed_at)).not.toBeNaN();
    expect(first.attempts).toHaveLength(1);
    expect(first.attempts[0]).toMatchObject({ attempt: 1, status_code: 200, success: true });
    const sent = receiver.received.find((r) => r.json.delivery_id === first.id);
    expect(first.payload).toEqual(sent!.json);
  });

  test('history keeps the newest deliveries only', async () => {
    await startDaemon({ historyLimit: 3 });
    const webhook = await register();
    for (let i = 0; i < 6; i++) {
      publish('job.started', { n: i });
      await receiver.waitForCount(i + 1);
    }
    await waitFor(() => daemon!.daemon.context.webhooks.store.nextDueAt() === null);
    await waitFor(
      () => daemon!.daemon.context.webhooks.store.listDeliveries(webhook.id, 10, 0).total === 3,
    );
    const page = await history(webhook.id);
    expect(
      page.deliveries.map((d: { payload: { data: { n: number } } }) => d.payload.data.n),
    ).toEqual([5, 4, 3]);
  });

  test('failures are retried with the attempt header', async () => {
    await startDaemon({ retryDelaysMs: [50, 100, 150] });
    receiver.handler = (_delivery, index) => ({ status: index < 2 ? 500 : 200 });
    const webhook = await register();
    publish('scene.reloaded');
    const received = await receiver.waitForCount(3);
    expect(received.map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(received[1]!.receivedAt - received[0]!.receivedAt).toBeGreaterThanOrEqual(45);
    expect(received[2]!.receivedAt - received[1]!.receivedAt).toBeGreaterThanOrEqual(95);
    const delivery = await waitForStatus(webhook.id, 'succeeded');
    expect(delivery).toMatchObject({ attempt: 3, status_code: 200 });
    const attempts = (delivery as { attempts: Array<{ status_code: number }> }).attempts;
    expect(attempts.map((a) => a.status_code)).toEqual([500, 500, 200]);
  });

  test('delivery fails after the last retry', async () => {
    await startDaemon({ retryDelaysMs: [20, 20, 20] });
    receiver.handler = () => ({ status: 500 });
    const webhook = await register();
    publish('job.failed');
    await receiver.waitForCount(4);
    const delivery = await waitForStatus(webhook.id, 'failed');
    expect(delivery).toMatchObject({ attempt: 4, status_code: 500, success: false });
    expect((delivery as { error: string }).error).toContain('HTTP 500');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(4);
    const res = await daemon!.request('GET', `/webhooks/${webhook.id}`);
    expect(res.body.webhook.consecutive_failures).toBe(1);
  });

  test('slow receiver times out and is retried', async () => {
    await startDaemon({ timeoutMs: 200, retryDelaysMs: [20] });
    receiver.handler = (_delivery, index) => ({ status: 200, delayMs: index === 0 ? 1000 : 0 });
    const webhook = await register();
    publish('job.started');
    await receiver.waitForCount(2);
    const delivery = (await waitForStatus(webhook.id, 'succeeded')) as {
      attempts: Array<{ error: string | null; status_code: number | null }>;
    };
    expect(delivery.attempts[0]!.error).toContain('timed out');
    expect(delivery.attempts[0]!.status_code).toBeNull();
    expect(delivery.attempts[1]!.status_code).toBe(200);
  });

  test('concurrency limit holds', async () => {
    await startDaemon({ concurrency: 3 });
    receiver.handler = () => ({ status: 200, delayMs: 100 });
    await register();
    for (let i = 0; i < 10; i++) publish('job.started', { n: i });
    await receiver.waitForCount(10);
    expect(receiver.maxInFlight).toBe(3);
  });

  test('Retry-After delays the next attempt', async () => {
    await startDaemon({ retryDelaysMs: [10, 10] });
    receiver.handler = (_delivery, index) =>
      index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 };
    const webhook = await register();
    publish('ping');
    await receiver.waitForCount(1);
    const pending = (await history(webhook.id)).deliveries[0];
    const received = await receiver.waitForCount(2);
    expect(received[1]!.receivedAt - received[0]!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(
      Date.parse(pending.next_attempt_at) - Date.parse(pending.last_attempt_at),
    ).toBeGreaterThanOrEqual(1000);
  });

  test('Retry-After is capped', async () => {
    await startDaemon({ retryDelaysMs: [10], maxRetryAfterMs: 100 });
    receiver.handler = (_delivery, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '3600' } } : { status: 200 };
    const webhook = await register();
    publish('ping');
    const received = await receiver.waitForCount(2, 3000);
    expect(received[1]!.receivedAt - received[0]!.receivedAt).toBeLessThan(3000);
    await waitForStatus(webhook.id, 'succeeded');
  });

  test('410 Gone disables the webhook', async () => {
    await startDaemon();
    receiver.handler = () => ({ status: 410 });
    const webhook = await register();
    publish('job.started');
    await receiver.waitForCount(1);
    await waitForStatus(webhook.id, 'failed');
    const res = await daemon!.request('GET', `/webhooks/${webhook.id}`);
    expect(res.body.webhook.active).toBe(false);
    expect(res.body.webhook.disabled_reason).toContain('410 Gone');
    publish('job.started');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(1);
    expect((await history(webhook.id)).total).toBe(1);
  });

  test('repeated failures disable until re-enabled', async () => {
    await startDaemon({ retryDelaysMs: [], disableAfterFailures: 2 });
    receiver.handler = () => ({ status: 500 });
    const webhook = await register();
    publish('job.failed');
    await waitForStatus(webhook.id, 'failed');
    publish('job.failed');
    await receiver.waitForCount(2);
    await waitFor(
      () => daemon!.daemon.context.webhooks.store.getWebhook(webhook.id)!.active === false,
    );
    const disabled = (await daemon!.request('GET', `/webhooks/${webhook.id}`)).body.webhook;
    expect(disabled.disabled_reason).toBe('2 deliveries in a row failed after their last retry');

    const renamed = await daemon!.request('PUT', `/webhooks/${webhook.id}`, {
      body: { description: 'still off' },
    });
    expect(renamed.body.webhook.active).toBe(false);
    expect(renamed.body.webhook.disabled_reason).not.toBeNull();

    const enabled = await daemon!.request('PUT', `/webhooks/${webhook.id}`, {
      body: { active: true },
    });
    expect(enabled.body.webhook).toMatchObject({
      active: true,
      disabled_reason: null,
      consecutive_failures: 0,
    });
    receiver.handler = () => ({ status: 200 });
    publish('job.completed');
    const received = await receiver.waitForCount(3);
    expect(received[2]!.json.event).toBe('job.completed');
  });

  test('success resets the failure count', async () => {
    await startDaemon({ retryDelaysMs: [], disableAfterFailures: 2 });
    receiver.handler = (_delivery, index) => ({ status: index === 1 ? 200 : 500 });
    const webhook = await register();
    for (let i = 0; i < 3; i++) {
      publish('job.failed', { n: i });
      await receiver.waitForCount(i + 1);
      await waitFor(() => daemon!.daemon.context.webhooks.store.nextDueAt() === null);
    }
    await waitFor(
      () => daemon!.daemon.context.webhooks.store.getWebhook(webhook.id)!.consecutiveFailures === 1,
    );
    expect(daemon!.daemon.context.webhooks.store.getWebhook(webhook.id)!.active).toBe(true);
  });

  test('redelivery resends with the same id', async () => {
    await startDaemon();
    const webhook = await register();
    publish('scene.validated', { ok: true });
    await receiver.waitForCount(1);
    const original = await waitForStatus(webhook.id, 'succeeded');
    const id = (original as { id: string }).id;
    const res = await daemon!.request('POST', `/webhooks/${webhook.id}/deliveries/${id}/redeliver`);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/webhooks/${webhook.id}/deliveries/${id}`);
    const [first, second] = await receiver.waitForCount(2);
    expect(second!.headers['webhook-id']).toBe(id);
    expect(second!.headers['x-webhook-attempt']).toBe('2');
    expect(second!.body).toBe(first!.body);
    await waitFor(
      () => daemon!.daemon.context.webhooks.store.getDelivery(id)!.status === 'succeeded',
    );
    const after = await daemon!.request('GET', `/webhooks/${webhook.id}/deliveries/${id}`);
    expect(after.body.delivery.attempt).toBe(2);
    expect(after.body.delivery.redelivery_count).toBe(1);
    expect((await history(webhook.id)).total).toBe(1);
  });

  test('redelivery checks ids and state', async () => {
    await startDaemon();
    receiver.handler = () => ({ status: 503, headers: { 'retry-after': '60' } });
    const webhook = await register();
    const missing = await daemon!.request(
      'POST',
      `/webhooks/${webhook.id}/deliveries/dlv_missing/redeliver`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('DELIVERY_NOT_FOUND');
    publish('ping');
    await receiver.waitForCount(1);
    const pending = await waitForStatus(webhook.id, 'pending');
    const res = await daemon!.request(
      'POST',
      `/webhooks/${webhook.id}/deliveries/${(pending as { id: string }).id}/redeliver`,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('DELIVERY_PENDING');
  });

  test('ping returns the outcome', async () => {
    await startDaemon();
    const webhook = await register({ events: ['scene.loaded'] });
    const res = await daemon!.request('POST', `/webhooks/${webhook.id}/ping`);
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject({
      event: 'ping',
      status: 'succeeded',
      success: true,
      status_code: 200,
      attempt: 1,
    });
    const [delivery] = receiver.received;
    expect(delivery!.json.event).toBe('ping');
    expect(delivery!.json.data.message).toBe('ping from godot-bridge');
    expect(delivery!.headers['webhook-id']).toBe(res.body.delivery.id);
  });

  test('ping reports a failing receiver', async () => {
    await startDaemon({ retryDelaysMs: [60_000] });
    receiver.handler = () => ({ status: 500 });
    const webhook = await register();
    const res = await daemon!.request('POST', `/webhooks/${webhook.id}/ping`);
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject({
      success: false,
      status: 'pending',
      status_code: 500,
    });
    const missing = await daemon!.request('POST', '/webhooks/wh_missing/ping');
    expect(missing.status).toBe(404);
  });

  test('ping of a deactivated webhook is 409', async () => {
    await startDaemon();
    const webhook = await register();
    await daemon!.request('PUT', `/webhooks/${webhook.id}`, { body: { active: false } });
    const res = await daemon!.request('POST', `/webhooks/${webhook.id}/ping`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('WEBHOOK_INACTIVE');
    expect(res.body.error.message).toContain('"active": true');
    expect(receiver.received).toHaveLength(0);
  });

  test('rotation signs with old and new secret', async () => {
    await startDaemon();
    const webhook = await register();
    const res = await daemon!.request('POST', `/webhooks/${webhook.id}/rotate-secret`);
    expect(res.status).toBe(200);
    const rotated = res.body.webhook;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(webhook.secret);
    expect(Date.parse(rotated.previous_secret_expires_at) - Date.now()).toBeGreaterThan(
      23 * 3600_000,
    );
    expect((await daemon!.request('GET', `/webhooks/${webhook.id}`)).body.webhook.secret).toBe(
      '***',
    );

    publish('job.completed');
    const [{ headers, body }] = (await receiver.waitForCount(1)) as [
      (typeof receiver.received)[number],
    ];
    const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
    const expected = [rotated.secret, webhook.secret].map((secret: string) => {
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
    });
    expect(headers['webhook-signature']).toBe(expected.join(' '));
    const hex = createHmac('sha256', rotated.secret).update(body).digest('hex');
    expect(headers['x-webhook-signature']).toBe(`sha256=${hex}`);
    for (const secret of [rotated.secret, webhook.secret]) {
      expect(() =>
        new Webhook(secret).verify(body, headers as Record<string, string>),
      ).not.toThrow();
    }
  });

  test('old secret stops signing after the grace period', async () => {
    await startDaemon({ secretGraceMs: 200 });
    const webhook = await register();
    const res = await daemon!.request('POST', `/webhooks/${webhook.id}/rotate-secret`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    publish('job.completed');
    const [{ headers, body }] = (await receiver.waitForCount(1)) as [
      (typeof receiver.received)[number],
    ];
    expect(String(headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() =>
      new Webhook(res.body.webhook.secret).verify(body, headers as Record<string, string>),
    ).not.toThrow();
    expect(() =>
      new Webhook(webhook.secret).verify(body, headers as Record<string, string>),
    ).toThrow();
  });

  test.each(['http://169.254.169.254/', 'http://0.0.0.0:1/'])(
    'refused address %s fails without connecting',
    async (url) => {
      await startDaemon();
      const webhook = await register({ url });
      publish('job.started');
      const delivery = (await waitForStatus(webhook.id, 'failed')) as {
        error: string;
        attempt: number;
        attempts: unknown[];
      };
      expect(delivery.error).toContain('address rejected');
      expect(delivery.attempt).toBe(1);
      expect(delivery.attempts).toHaveLength(1);
      expect(daemon!.daemon.context.webhooks.sender.requestsStarted).toBe(0);
    },
  );

  test('loopback is refused when private networks are off', async () => {
    await startDaemon({ allowPrivateNetworks: false });
    const webhook = await register();
    publish('job.started');
    const delivery = (await waitForStatus(webhook.id, 'failed')) as { error: string };
    expect(delivery.error).toContain('allowPrivateNetworks is false');
    expect(receiver.received).toHaveLength(0);
    expect(daemon!.daemon.context.webhooks.sender.requestsStarted).toBe(0);
  });

  test('logs never contain a secret', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    await startDaemon({}, pino({ level: 'trace' }, stream));
    receiver.handler = (_delivery, index) => ({ status: index === 0 ? 500 : 200 });
    const webhook = await register();
    const rotated = await daemon!.request('POST', `/webhooks/${webhook.id}/rotate-secret`);
    publish('job.completed');
    await receiver.waitForCount(2);
    await waitForStatus(webhook.id, 'succeeded');
    const log = lines.join('');
    expect(log).toContain('webhook delivered');
    expect(log).toContain('retrying');
    for (const secret of [webhook.secret, rotated.body.webhook.secret]) {
      expect(log).not.toContain(secret.slice('whsec_'.length));
    }
  });
});
