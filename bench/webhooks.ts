/**
 * Webhook throughput: signed deliveries through the outbox and worker to
 * loopback receivers, against plain HTTP POSTs of the same bodies with the
 * same concurrency and the same keep-alive agent settings, in one run.
 *
 *   npm run bench:webhooks -- [--deliveries N] [--concurrency N] [--receivers N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { defaultConfig } from '../daemon/src/config/defaults.js';
import { EventBus } from '../daemon/src/events/event-bus.js';
import { createSilentLogger } from '../daemon/src/logging/logger.js';
import { openDatabase } from '../daemon/src/store/database.js';
import { webhookMigrations } from '../daemon/src/webhooks/migrations.js';
import { generateSecret, signatureHeaders } from '../daemon/src/webhooks/signing.js';
import { WebhookService } from '../daemon/src/webhooks/webhook-service.js';

const options = new Command()
  .option('--deliveries <n>', 'deliveries per pass', (v) => Number(v), 5000)
  .option('--concurrency <n>', 'requests in flight at once (webhooks.concurrency)', Number, 5)
  .option('--receivers <n>', 'loopback receivers, one webhook each', (v) => Number(v), 2)
  .parse()
  .opts<{ deliveries: number; concurrency: number; receivers: number }>();

interface Receiver {
  server: Server;
  url: string;
  count: number;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { server: createServer(), url: '', count: 0 };
  receiver.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      receiver.count += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  return receiver;
}

const total = (receivers: Receiver[]) => receivers.reduce((sum, r) => sum + r.count, 0);

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Signed deliveries: events on the bus, rows in SQLite, the worker sending them. */
async function signedPass(
  receivers: Receiver[],
): Promise<{ seconds: number; cpuSeconds: number; bodies: string[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-bench-'));
  const db = openDatabase(path.join(dir, 'state.db'), webhookMigrations);
  const events = new EventBus();
  const settings = {
    ...defaultConfig(dir).webhooks,
    concurrency: options.concurrency,
    historyLimit: 100,
  };
  const service = new WebhookService({ db, settings, events, log: createSilentLogger() });
  for (const receiver of receivers) service.create({ url: receiver.url, events: ['*'] });
  service.start();

  const perEvent = receivers.length;
  const eventCount = Math.ceil(options.deliveries / perEvent);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < eventCount; i++) {
    events.publish('job.completed', { job_id: `job-${i}`, result: { nodes: 42, ok: true } });
  }
  await waitUntil(() => total(receivers) >= eventCount * perEvent);
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuTotal(process.cpuUsage(cpuStart));

  const bodies = db
    .prepare('SELECT body FROM webhook_deliveries ORDER BY seq DESC LIMIT 1000')
    .all()
    .map((row) => (row as { body: string }).body);
  await service.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, cpuSeconds, bodies };
}

/** Plain POSTs of the same bodies: no signing, no SQLite, same concurrency. */
async function plainPass(
  receivers: Receiver[],
  bodies: string[],
): Promise<{ seconds: number; cpuSeconds: number }> {
  const agent = new http.Agent({ keepAlive: true });
  const count = options.deliveries;
  let next = 0;
  const post = (url: string, body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end(body);
    });
  const lane = async () => {
    while (next < count) {
      const index = next++;
      await post(receivers[index % receivers.length]!.url, bodies[index % bodies.length]!);
    }
  };
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuTotal(process.cpuUsage(cpuStart));
  agent.destroy();
  return { seconds, cpuSeconds };
}

function cpuTotal(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function signingMicroseconds(bodies: string[]): number {
  const secret = generateSecret();
  const rounds = 20_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    signatureHeaders({
      deliveryId: `dlv_${i}`,
      timestampSeconds: 1_700_000_000,
      body: bodies[i % bodies.length]!,
      secret,
    });
  }
  return ((performance.now() - start) / rounds) * 1000;
}

async function main(): Promise<void> {
  const receivers = await Promise.all(Array.from({ length: options.receivers }, startReceiver));
  const signed = await signedPass(receivers);
  const delivered = total(receivers);
  for (const receiver of receivers) receiver.count = 0;
  const plain = await plainPass(receivers, signed.bodies);
  const signUs = signingMicroseconds(signed.bodies);

  const signedRate = delivered / signed.seconds;
  const plainRate = options.deliveries / plain.seconds;
  const signedCpuUs = (signed.cpuSeconds / delivered) * 1e6;
  const plainCpuUs = (plain.cpuSeconds / options.deliveries) * 1e6;
  const bodyBytes = Buffer.byteLength(signed.bodies[0] ?? '');
  const cpus = os.cpus();
  const line = (label: string, count: number, seconds: number, rate: number, cpuUs: number) =>
    console.log(
      `${label.padEnd(19)}${count} in ${seconds.toFixed(2)} s = ${rate.toFixed(0)}/s, ` +
        `${cpuUs.toFixed(0)} µs CPU each (receivers included)`,
    );
  console.log(`node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model ?? '?'})`);
  console.log(
    `load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `concurrency ${options.concurrency}, ${options.receivers} receivers, body ${bodyBytes} bytes`,
  );
  line('signed deliveries:', delivered, signed.seconds, signedRate, signedCpuUs);
  line('plain POSTs:', options.deliveries, plain.seconds, plainRate, plainCpuUs);
  console.log(`ratio signed/plain: ${(signedRate / plainRate).toFixed(2)} in rate`);
  console.log(`signing (both schemes, one secret): ${signUs.toFixed(1)} µs per payload`);
  console.log(`target 2000 deliveries/s: ${signedRate >= 2000 ? 'met' : 'NOT met'}`);
  await Promise.all(receivers.map((r) => new Promise((resolve) => r.server.close(resolve))));
}

await main();
