import { connect } from 'node:net';
import { SseClient } from '../support/sse-client.js';
import { TestDaemon, testToken, waitFor } from '../support/test-daemon.js';

const auth = { authorization: `Bearer ${testToken}` };

describe('event stream', () => {
  let daemon: TestDaemon;
  const clients: SseClient[] = [];

  async function open(path = '/events', headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.open(daemon.port, path, { ...auth, ...headers });
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    daemon = await TestDaemon.start({ config: { events: { keepAliveMs: 100, bufferSize: 5 } } });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await daemon.stop();
  });

  test('events arrive in order with ids and payloads', async () => {
    const client = await open();
    expect(client.status).toBe(200);
    const peer = await daemon.connectPeer();
    await daemon.request('POST', '/scene/load', { body: { scene_path: 'res://scenes/main.tscn' } });
    await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/other.tscn' },
    });
    await waitFor(() => client.named('scene.loaded').length === 2);
    const [first, second] = client.named('scene.loaded');
    expect(Number(second!.id)).toBeGreaterThan(Number(first!.id));
    const payload = JSON.parse(first!.data);
    expect(payload.event).toBe('scene.loaded');
    expect(payload.data.scene_path).toBe('res://scenes/main.tscn');
    expect(payload.data.instance).toBe(peer.instanceId);
    expect(Date.parse(payload.timestamp)).not.toBeNaN();
    expect(payload.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(second!.data).data.scene_path).toBe('res://scenes/other.tscn');
  });

  test('filter keeps only the named events', async () => {
    const client = await open('/events?events=scene.failed');
    await daemon.request('GET', '/status', { token: 'wrong' });
    daemon.daemon.context.events.publish('scene.failed', { scene_path: 'res://x.tscn' });
    await waitFor(() => client.messages.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.messages.map((m) => m.event)).toEqual(['scene.failed']);
  });

  test('trailing comma in the filter is ignored', async () => {
    const client = await open('/events?events=ping,');
    expect(client.status).toBe(200);
    daemon.daemon.context.events.publish('ping', {});
    await waitFor(() => client.messages.length === 1);
    expect(client.messages[0]!.event).toBe('ping');
  });

  test('filter of only commas gets 400', async () => {
    const res = await daemon.request('GET', '/events?events=,');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('names no event');
  });

  test('unknown event name in the filter gets 400', async () => {
    const res = await daemon.request('GET', '/events?events=scene.loaded,scene.exploded');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"scene.exploded"');
  });

  /** Id of the event published `n`-th (from 1) since the daemon started. */
  function nth(n: number): string {
    return String(daemon.daemon.context.eventHistory.firstId + n - 1);
  }

  test('Last-Event-ID resumes after the given id', async () => {
    const bus = daemon.daemon.context.events;
    for (let i = 1; i <= 3; i++) bus.publish('ping', { n: i });
    const client = await open('/events', { 'last-event-id': nth(1) });
    await waitFor(() => client.messages.length === 2);
    expect(client.messages.map((m) => m.id)).toEqual([nth(2), nth(3)]);
    expect(client.messages.map((m) => JSON.parse(m.data).data.n)).toEqual([2, 3]);
  });

  test('resumption past the buffer reports the gap', async () => {
    const bus = daemon.daemon.context.events;
    for (let i = 1; i <= 8; i++) bus.publish('ping', { n: i });
    const client = await open('/events', { 'last-event-id': nth(1) });
    await waitFor(() => client.messages.length === 6);
    expect(client.messages[0]!.event).toBe('stream.gap');
    expect(JSON.parse(client.messages[0]!.data)).toEqual({
      missed_after: Number(nth(1)),
      oldest_available: Number(nth(4)),
    });
    expect(client.messages.slice(1).map((m) => m.id)).toEqual([4, 5, 6, 7, 8].map(nth));
  });

  test('id from before a restart reports the gap', async () => {
    // An earlier run gave out ids below this run's first one.
    const earlier = String(Number(nth(1)) - 5000);
    const bus = daemon.daemon.context.events;
    for (let i = 1; i <= 2; i++) bus.publish('ping', { n: i });
    const client = await open('/events', { 'last-event-id': earlier });
    await waitFor(() => client.messages.length === 3);
    expect(client.messages[0]!.event).toBe('stream.gap');
    expect(JSON.parse(client.messages[0]!.data)).toEqual({
      missed_after: Number(earlier),
      oldest_available: Number(nth(1)),
    });
    expect(client.messages.slice(1).map((m) => m.id)).toEqual([nth(1), nth(2)]);
  });

  test('restarted daemon numbers events above the earlier run', async () => {
    daemon.daemon.context.events.publish('ping', {});
    const before = daemon.daemon.context.eventHistory.lastId;
    await daemon.stop();
    daemon = await TestDaemon.start();
    expect(daemon.daemon.context.eventHistory.firstId).toBeGreaterThan(before);
  });

  test('id above the newest one reports the gap', async () => {
    // Only a clock set back between runs can produce this; every buffered event is new.
    const bus = daemon.daemon.context.events;
    bus.publish('ping', { n: 1 });
    const client = await open('/events', { 'last-event-id': String(Number(nth(1)) + 100) });
    await waitFor(() => client.messages.length === 2);
    expect(client.messages[0]!.event).toBe('stream.gap');
    expect(client.messages[1]!.id).toBe(nth(1));
  });

  test('keep-alive comments arrive', async () => {
    const client = await open();
    await waitFor(() => client.comments.length >= 2, 2000);
    expect(client.comments.length).toBeGreaterThanOrEqual(2);
  });

  test('stream needs the token', async () => {
    const res = await daemon.request('GET', '/events', { token: null });
    expect(res.status).toBe(401);
  });

  test('auth failure is an event', async () => {
    const client = await open('/events?events=auth.failed');
    await daemon.request('GET', '/status', { token: 'wrong' });
    await waitFor(() => client.messages.length === 1);
    const payload = JSON.parse(client.messages[0]!.data);
    expect(payload.data.reason).toBe('wrong');
    expect(payload.data.path).toBe('/status');
    expect(JSON.stringify(payload)).not.toContain('wrong-token');
  });
});

describe('event stream backlog', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({
      config: { events: { keepAliveMs: 60_000, maxClientBacklogBytes: 256 * 1024 } },
    });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('client that stops reading is dropped', async () => {
    const socket = connect(daemon.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    socket.write(
      `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${daemon.port}\r\n` +
        `Authorization: Bearer ${testToken}\r\n\r\n`,
    );
    const history = daemon.daemon.context.eventHistory;
    await waitFor(() => history.listenerCount === 1);
    socket.pause();

    // Up to 38 MB, well above the few MB a loopback socket buffers, so the rest queues here.
    const bus = daemon.daemon.context.events;
    const pad = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 30 && history.listenerCount > 0; i++) {
      for (let j = 0; j < 20; j++) bus.publish('ping', { pad });
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(history.listenerCount).toBe(0);
    socket.resume();
    await closed;
  });
});
