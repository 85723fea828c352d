import { TestDaemon } from '../support/test-daemon.js';

describe('conditional GET', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start();
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('same state gives the same strong tag', async () => {
    await daemon.connectPeer();
    const first = await daemon.request('GET', '/instances');
    const second = await daemon.request('GET', '/instances');
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(first.headers['cache-control']).toBe('private, max-age=60');
  });

  test('changed state gives a new tag', async () => {
    const before = await daemon.request('GET', '/instances');
    await daemon.connectPeer();
    const after = await daemon.request('GET', '/instances');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  test('matching If-None-Match answers 304 without a body', async () => {
    const first = await daemon.request('GET', '/instances');
    const again = await daemon.request('GET', '/instances', {
      headers: { 'if-none-match': first.headers.etag as string },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  test('If-None-Match star answers 304', async () => {
    const res = await daemon.request('GET', '/instances', { headers: { 'if-none-match': '*' } });
    expect(res.status).toBe(304);
  });

  test('list of tags and weak form match', async () => {
    const { headers } = await daemon.request('GET', '/instances');
    const tag = headers.etag as string;
    const list = await daemon.request('GET', '/instances', {
      headers: { 'if-none-match': `"other", W/${tag}` },
    });
    expect(list.status).toBe(304);
  });

  test('stale tag answers 200 with the body', async () => {
    const first = await daemon.request('GET', '/instances');
    await daemon.connectPeer();
    const res = await daemon.request('GET', '/instances', {
      headers: { 'if-none-match': first.headers.etag as string },
    });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
  });

  test('errors carry no tag', async () => {
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(503);
    expect(res.headers.etag).toBeUndefined();
  });

  test('scene tag follows the current scene', async () => {
    const peer = await daemon.connectPeer({ current_scene: 'res://scenes/main.tscn' });
    const first = await daemon.request('GET', '/scene');
    peer.currentScene = 'res://scenes/other.tscn';
    const second = await daemon.request('GET', '/scene');
    expect(second.headers.etag).not.toBe(first.headers.etag);
  });
});
