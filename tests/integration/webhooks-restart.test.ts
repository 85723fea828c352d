import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess } from '../support/daemon-process.js';
import { createTempProject } from '../support/test-daemon.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

function call(
  base: string,
  method: string,
  urlPath: string,
  token: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const url = new URL(urlPath, base);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('webhook outbox across a daemon kill', () => {
  let projectDir: string;
  let stateDir: string;
  let receiver: WebhookReceiver;
  let running: DaemonProcess | undefined;

  beforeEach(async () => {
    projectDir = createTempProject({
      'godot-bridge.json': JSON.stringify({
        logLevel: 'debug',
        // A retry keeps its due time across a restart; 3 s leaves room for the kill
        // to land before the second try on a loaded machine.
        webhooks: { retryDelaysMs: [3000, 3000], timeoutMs: 20_000 },
      }),
    });
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-state-'));
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await running?.kill();
    running = undefined;
    await receiver.close();
    rmSync(projectDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  // auth.failed is the one event a separate process can be made to publish over HTTP alone.
  async function registerAndFail(daemon: DaemonProcess, token: string, failures: number) {
    const created = await call(daemon.url, 'POST', '/webhooks', token, {
      url: receiver.url(),
      events: ['auth.failed'],
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < failures; i++) {
      const res = await call(daemon.url, 'GET', `/status?n=${i}`, 'wrong-token');
      expect(res.status).toBe(401);
    }
    return created.body.webhook.id as string;
  }

  test('retries pending at the kill arrive after restart', async () => {
    running = await DaemonProcess.spawn(projectDir, stateDir);
    const token = readFileSync(path.join(stateDir, 'token'), 'utf8').trim();
    receiver.handler = () => ({ status: 500 });
    const id = await registerAndFail(running, token, 3);
    const firstTries = await receiver.waitForCount(3);
    const deliveryIds = firstTries.map((r) => r.headers['webhook-id']).sort();
    await running.kill();

    receiver.handler = () => ({ status: 200 });
    const restartedAt = Date.now();
    running = await DaemonProcess.spawn(projectDir, stateDir);
    const all = await receiver.waitForCount(6, 20_000);
    const retried = all.slice(3);
    expect(retried.map((r) => r.headers['webhook-id']).sort()).toEqual(deliveryIds);
    // Attempt 2 unless a loaded machine let the second try happen before the kill.
    expect(retried.every((r) => Number(r.headers['x-webhook-attempt']) >= 2)).toBe(true);
    expect(retried.every((r) => r.receivedAt >= restartedAt)).toBe(true);

    const history = await call(running.url, 'GET', `/webhooks/${id}/deliveries`, token);
    expect(history.body.total).toBe(3);
  }, 60_000);

  test('deliveries in flight at the kill are sent again', async () => {
    running = await DaemonProcess.spawn(projectDir, stateDir);
    const token = readFileSync(path.join(stateDir, 'token'), 'utf8').trim();
    receiver.handler = () => ({ status: 200, delayMs: 30_000 });
    await registerAndFail(running, token, 2);
    const hanging = await receiver.waitForCount(2);
    const deliveryIds = hanging.map((r) => r.headers['webhook-id']).sort();
    await running.kill();

    receiver.handler = () => ({ status: 200 });
    running = await DaemonProcess.spawn(projectDir, stateDir);
    const all = await receiver.waitForCount(4, 20_000);
    expect(
      all
        .slice(2)
        .map((r) => r.headers['webhook-id'])
        .sort(),
    ).toEqual(deliveryIds);
    expect(running.output.join('')).toMatch(
      /"pending":2,.*"msg":"webhook delivery worker started"/,
    );
  }, 60_000);
});
