import { TestDaemon } from '../support/test-daemon.js';

describe('Last-Modified', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start();
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('finished job carries its end time', async () => {
    const submitted = await daemon.request('POST', '/jobs', {
      body: { type: 'cache_warming', parameters: {} },
    });
    const id = submitted.body.job.id as string;
    let res = await daemon.request('GET', `/jobs/${id}`);
    for (let i = 0; i < 100 && res.body.job.status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      res = await daemon.request('GET', `/jobs/${id}`);
    }
    expect(res.body.job.status).toBe('completed');
    const modified = Date.parse(res.headers['last-modified'] as string) / 1000;
    expect(modified).toBe(res.body.job.completed_at);
    expect(res.headers.etag).toMatch(/^"/);
  });

  test('queued job has no Last-Modified', async () => {
    await daemon.connectPeer();
    const peer = daemon.peers[0]!;
    peer.on('scene.preload', () => new Promise(() => undefined));
    const submitted = await daemon.request('POST', '/jobs', {
      body: { type: 'scene_preload', parameters: { scene_paths: ['res://scenes/main.tscn'] } },
    });
    const res = await daemon.request('GET', `/jobs/${submitted.body.job.id}`);
    expect(['queued', 'running']).toContain(res.body.job.status);
    expect(res.headers['last-modified']).toBeUndefined();
    await daemon.request('DELETE', `/jobs/${submitted.body.job.id}`);
  });
});
