import WebSocket from 'ws';
import { ProtocolPeer } from '../support/protocol-peer.js';
import { TestDaemon, testToken } from '../support/test-daemon.js';

function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

describe('link handshake', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({ config: { relay: { helloTimeoutMs: 200 } } });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('silent socket is closed with 4000', async () => {
    const socket = await open(daemon.wsUrl);
    const { code } = await closed(socket);
    expect(code).toBe(4000);
  });

  test('wrong token is answered and closed with 4001', async () => {
    const socket = await open(daemon.wsUrl);
    const whenClosed = closed(socket);
    const reply = await ProtocolPeer.sendHello(socket, { token: 'wrong' });
    expect((reply.error as { message: string }).message).toContain('token');
    expect((await whenClosed).code).toBe(4001);
    expect(daemon.daemon.context.registry.size).toBe(0);
  });

  test('protocol mismatch names both versions', async () => {
    const socket = await open(daemon.wsUrl);
    const whenClosed = closed(socket);
    const reply = await ProtocolPeer.sendHello(socket, { token: testToken, protocol_version: 2 });
    const message = (reply.error as { message: string }).message;
    expect(message).toContain('protocol 2');
    expect(message).toContain('protocol 1');
    expect(message).toContain('update the daemon');
    expect((await whenClosed).code).toBe(4002);
  });

  test('first message other than hello is closed with 4003', async () => {
    const socket = await open(daemon.wsUrl);
    const whenClosed = closed(socket);
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'scene.info', params: {} }));
    expect((await whenClosed).code).toBe(4003);
  });

  test('hello missing fields is closed with 4003', async () => {
    const socket = await open(daemon.wsUrl);
    const whenClosed = closed(socket);
    socket.send(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { token: testToken } }),
    );
    const { code, reason } = await whenClosed;
    expect(code).toBe(4003);
    expect(reason).toContain('required');
  });

  test('invalid message after hello is closed with 4004', async () => {
    const peer = await daemon.connectPeer();
    const whenClosed = closed(peer.socket);
    peer.socket.send('not json');
    expect((await whenClosed).code).toBe(4004);
  });

  test('other upgrade paths get 404', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${daemon.port}/elsewhere`);
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toContain('404');
  });

  test('reconnecting instance keeps its id', async () => {
    const first = await daemon.connectPeer({ instance_name: 'quest' });
    const id = first.instanceId;
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await daemon.connectPeer({ instance_name: 'quest' });
    expect(second.instanceId).toBe(id);
  });

  test('stale link of the same game is replaced', async () => {
    const old = await daemon.connectPeer({ instance_name: 'quest' });
    const id = old.instanceId;
    // The old link stays open but sends nothing back, as after a network drop.
    old.socket.pause();
    const fresh = await daemon.connectPeer({ instance_name: 'quest' });
    expect(fresh.instanceId).toBe(id);
    expect(daemon.daemon.context.registry.list().map((i) => i.id)).toEqual([id]);
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(200);
    old.terminate();
  });

  test('live twin keeps its id and the new one gets a suffix', async () => {
    const first = await daemon.connectPeer({ instance_name: 'desk' });
    const second = await daemon.connectPeer({ instance_name: 'desk' });
    expect(second.instanceId).toBe(`${first.instanceId}-2`);
    expect(daemon.daemon.context.registry.size).toBe(2);
  });

  test('dead socket is dropped after a missed ping', async () => {
    await daemon.stop();
    daemon = await TestDaemon.start({ config: { relay: { pingIntervalMs: 50 } } });
    const peer = await daemon.connectPeer();
    // Stop answering pings, as a frozen process would.
    (
      peer.socket as unknown as { _receiver: { removeAllListeners: (e: string) => void } }
    )._receiver.removeAllListeners('ping');
    peer.socket.pong = () => undefined;
    const start = Date.now();
    while (daemon.daemon.context.registry.size > 0 && Date.now() - start < 3000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(daemon.daemon.context.registry.size).toBe(0);
  });
});
