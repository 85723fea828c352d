/**
 * A small webhook receiver for godot-bridge. It verifies both signature
 * schemes, rejects stale timestamps and replayed delivery ids, prints each
 * event in colour, and serves GET /stats and GET /history.
 *
 *   WEBHOOK_SECRET=whsec_... npx tsx examples/webhook-receiver/receiver.ts --port 9000 --path /hooks
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const options = new Command()
  .description('Receive and verify godot-bridge webhooks.')
  .addOption(
    // The variable keeps the secret out of the process list that every user can read.
    new Option('--secret <secret>', 'the webhook secret (whsec_...) the daemon returned')
      .env('WEBHOOK_SECRET')
      .makeOptionMandatory(),
  )
  .option('--port <number>', 'TCP port to listen on', (value) => Number(value), 9000)
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .option('--path <path>', 'path the webhook URL points at', '/hooks')
  .option('--tolerance <seconds>', 'oldest accepted webhook-timestamp age', Number, 300)
  .parse()
  .opts<{ secret: string; port: number; host: string; path: string; tolerance: number }>();

/** Delivery ids already processed; a real receiver keeps these in its database. */
const seen = new Set<string>();
const history: Array<Record<string, unknown>> = [];
const stats = { accepted: 0, rejected: 0, replays: 0, byEvent: {} as Record<string, number> };
const historyLimit = 100;
const standard = new Webhook(options.secret);

function verifyBodySignature(body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`;
  const received = Buffer.from(header);
  return received.length === expected.length && timingSafeEqual(received, Buffer.from(expected));
}

/** Checks both schemes and the timestamp; returns the reason for a rejection. */
function rejectionReason(req: IncomingMessage, body: string): string | undefined {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const timestamp = Number(header('webhook-timestamp'));
  const age = Math.floor(Date.now() / 1000) - timestamp;
  if (!Number.isInteger(timestamp) || Math.abs(age) > options.tolerance) {
    return `timestamp ${header('webhook-timestamp')} is ${age} s away from now`;
  }
  if (!verifyBodySignature(body, header('x-webhook-signature'))) {
    return 'X-Webhook-Signature does not match the secret';
  }
  try {
    standard.verify(body, {
      'webhook-id': header('webhook-id') ?? '',
      'webhook-timestamp': header('webhook-timestamp') ?? '',
      'webhook-signature': header('webhook-signature') ?? '',
    });
  } catch (error) {
    if (error instanceof WebhookVerificationError) return `webhook-signature: ${error.message}`;
    throw error;
  }
  return undefined;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function printEvent(payload: Record<string, unknown>, attempt: string | undefined): void {
  const time = pc.dim(new Date().toLocaleTimeString());
  const event = String(payload.event);
  const colour = event.endsWith('failed') ? pc.red : event.startsWith('job') ? pc.cyan : pc.green;
  const retry = attempt && attempt !== '1' ? pc.yellow(` (attempt ${attempt})`) : '';
  console.log(`${time} ${colour(pc.bold(event))}${retry} ${pc.dim(String(payload.delivery_id))}`);
  console.log(`  ${JSON.stringify(payload.data)}`);
}

function handleDelivery(req: IncomingMessage, res: ServerResponse, body: string): void {
  const reason = rejectionReason(req, body);
  if (reason) {
    stats.rejected += 1;
    console.log(`${pc.red('rejected')} ${reason}`);
    return reply(res, 401, { error: reason });
  }
  const deliveryId = String(req.headers['webhook-id']);
  if (seen.has(deliveryId)) {
    stats.replays += 1;
    console.log(`${pc.yellow('replay ignored')} ${deliveryId}`);
    // 200, not an error: the daemon must stop retrying a delivery already processed.
    return reply(res, 200, { duplicate: true });
  }
  const payload = JSON.parse(body) as Record<string, unknown>;
  seen.add(deliveryId);
  stats.accepted += 1;
  const event = String(payload.event);
  stats.byEvent[event] = (stats.byEvent[event] ?? 0) + 1;
  history.unshift({ received_at: new Date().toISOString(), ...payload });
  history.length = Math.min(history.length, historyLimit);
  printEvent(payload, req.headers['x-webhook-attempt'] as string | undefined);
  reply(res, 200, { received: deliveryId });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://receiver');
  if (req.method === 'GET' && url.pathname === '/stats') return reply(res, 200, stats);
  if (req.method === 'GET' && url.pathname === '/history') return reply(res, 200, history);
  if (req.method !== 'POST' || url.pathname !== options.path) {
    return reply(res, 404, { error: `POST to ${options.path}; GET /stats or /history` });
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => handleDelivery(req, res, Buffer.concat(chunks).toString('utf8')));
});

server.listen(options.port, options.host, () => {
  const address = `http://${options.host}:${options.port}`;
  console.log(`${pc.bold('godot-bridge webhook receiver')} on ${address}${options.path}`);
  console.log(pc.dim(`stats: ${address}/stats, history: ${address}/history`));
});
