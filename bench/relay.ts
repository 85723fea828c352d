/**
 * Round-trip time of POST /scene/validate through the daemon's relay to an
 * in-process protocol peer that replies at once, against bare express plus a
 * raw ws round trip measured in the same run. Prints p50/p99 of both and the
 * ratio of the medians.
 *
 *   npx tsx bench/relay.ts [requests]
 */
import { createServer, request as httpRequest, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import WebSocket, { WebSocketServer } from 'ws';
import { TestDaemon, testToken } from '../tests/support/test-daemon.js';
import { formatMs, summarize, type Summary } from './stats.js';

const requests = Number(process.argv[2] ?? 2000);
const warmup = 200;
const body = JSON.stringify({ scene_path: 'res://scenes/main.tscn', mode: 'live' });
const validation = { valid: true, errors: [], warnings: [], node_count: 3, duration_ms: 0 };

function post(agent: Agent, port: number, path: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          else resolve(performance.now() - started);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends one request to each server in turn, so that noise from other work on
 * the machine falls on both sets of samples alike.
 */
async function measurePair(
  baselinePort: number,
  relayPort: number,
  token: string,
): Promise<{ base: Summary; relay: Summary }> {
  const baseAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const relayAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const base: number[] = [];
  const relay: number[] = [];
  for (let i = 0; i < warmup + requests; i++) {
    const b = await post(baseAgent, baselinePort, '/scene/validate');
    const r = await post(relayAgent, relayPort, '/scene/validate', token);
    if (i < warmup) continue;
    base.push(b);
    relay.push(r);
  }
  baseAgent.destroy();
  relayAgent.destroy();
  return { base: summarize(base), relay: summarize(relay) };
}

/** Bare express that relays each request over a raw ws round trip. */
async function startBaseline(): Promise<{ port: number; close: () => Promise<void> }> {
  const app = express();
  app.use(express.json());
  const server: Server = createServer(app);
  const wss = new WebSocketServer({ server });
  const connected = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const peer = new WebSocket(`ws://127.0.0.1:${port}`);
  peer.on('message', (data) => {
    const message = JSON.parse(data.toString());
    peer.send(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: validation }));
  });
  const socket = await connected;
  const waiting = new Map<string, (result: unknown) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  let nextId = 1;
  app.post('/scene/validate', async (req, res) => {
    const id = String(nextId++);
    const result = await new Promise((resolve) => {
      waiting.set(id, resolve);
      socket.send(
        JSON.stringify({ jsonrpc: '2.0', id, method: 'scene.validate', params: req.body }),
      );
    });
    res.json(result);
  });
  return {
    port,
    close: async () => {
      peer.close();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  const baseline = await startBaseline();
  const daemon = await TestDaemon.start();
  const peer = await daemon.connectPeer();
  peer.on('scene.validate', () => validation);

  const rounds = 3;
  const results: Array<{ base: Summary; relay: Summary }> = [];
  for (let round = 0; round < rounds; round++) {
    results.push(await measurePair(baseline.port, daemon.port, testToken));
  }
  await daemon.stop();
  await baseline.close();

  // The round with the lowest baseline median had the least interference.
  const { base: b, relay: r } = results.reduce((x, y) => (y.base.p50 < x.base.p50 ? y : x));
  console.log(
    `requests per run: ${requests} to each server, interleaved (after ${warmup} warm-up); ` +
      `round with the quietest baseline of ${rounds}`,
  );
  console.log(
    `baseline express + raw ws: p50 ${formatMs(b.p50)}  p99 ${formatMs(b.p99)}  mean ${formatMs(b.mean)}`,
  );
  console.log(
    `godot-bridge relay:        p50 ${formatMs(r.p50)}  p99 ${formatMs(r.p99)}  mean ${formatMs(r.mean)}`,
  );
  console.log(`ratio (relay p50 / baseline p50): ${(r.p50 / b.p50).toFixed(3)}  (target <= 1.3)`);
  console.log(`ratio (relay p99 / baseline p99): ${(r.p99 / b.p99).toFixed(3)}`);
}

await main();
