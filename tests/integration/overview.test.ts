import { daemonVersion } from '../../daemon/src/version.js';
import { TestDaemon, waitFor } from '../support/test-daemon.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('GET /overview', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start();
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('needs the token', async () => {
    const res = await daemon.request('GET', '/overview', { token: null });
    expect(res.status).toBe(401);
  });

  test('without instances or sources returns empty lists', async () => {
    const res = await daemon.request('GET', '/overview');
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.daemon.version).toBe(daemonVersion);
    expect(res.body.daemon.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(res.body.daemon.project).toEqual({ path: daemon.projectDir, name: 'Test Project' });
    expect(res.body.instances).toEqual([]);
    expect(res.body.jobs).toEqual([]);
    expect(res.body.deliveries).toEqual([]);
    expect(res.body.warnings).toEqual([]);
  });

  test('lists each instance with its current scene', async () => {
    const editor = await daemon.connectPeer({
      role: 'editor',
      current_scene: 'res://scenes/main.tscn',
    });
    const headset = await daemon.connectPeer({
      role: 'game',
      instance_name: 'quest',
      xr_active: true,
      current_scene: 'res://scenes/other.tscn',
    });
    const res = await daemon.request('GET', '/overview');
    expect(res.status).toBe(200);
    const byId = new Map(
      (res.body.instances as Array<Record<string, unknown>>).map((i) => [i.id, i]),
    );
    expect(byId.size).toBe(2);
    expect(byId.get(editor.instanceId)?.role).toBe('editor');
    expect(byId.get(editor.instanceId)?.current_scene).toBe('res://scenes/main.tscn');
    expect(byId.get(headset.instanceId)?.name).toBe('quest');
    expect(byId.get(headset.instanceId)?.xr_active).toBe(true);
    expect(byId.get(headset.instanceId)?.current_scene).toBe('res://scenes/other.tscn');
  });

  test('follows scene changes of an instance', async () => {
    const peer = await daemon.connectPeer({ current_scene: 'res://scenes/main.tscn' });
    peer.notify('scene.changed', { current_scene: 'res://scenes/other.tscn' });
    let scene: unknown;
    for (let attempt = 0; attempt < 100 && scene !== 'res://scenes/other.tscn'; attempt++) {
      const res = await daemon.request('GET', '/overview');
      scene = res.body.instances[0].current_scene;
      if (scene !== 'res://scenes/other.tscn') await new Promise((r) => setTimeout(r, 20));
    }
    expect(scene).toBe('res://scenes/other.tscn');
  });

  test('shows real jobs and deliveries', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      await daemon.request('POST', '/webhooks', {
        body: { url: receiver.url(), events: ['job.completed'] },
      });
      const submitted = await daemon.request('POST', '/jobs', {
        body: { type: 'cache_warming', parameters: {} },
      });
      expect(submitted.status).toBe(202);
      await waitFor(() => receiver.received.length === 1, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const res = await daemon.request('GET', '/overview');
      expect(res.body.jobs).toHaveLength(1);
      expect(res.body.jobs[0]).toMatchObject({
        id: submitted.body.job.id,
        status: 'completed',
        progress: 1,
      });
      expect(res.body.deliveries).toHaveLength(1);
      expect(res.body.deliveries[0]).toMatchObject({
        event: 'job.completed',
        status: 'succeeded',
        status_code: 200,
      });
      expect(res.body.deliveries[0].payload).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  test('takes jobs and deliveries from the sources', async () => {
    const jobs = Array.from({ length: 8 }, (_, n) => ({ id: `job-${n}`, status: 'completed' }));
    const deliveries = [{ id: 'd-1', webhook_id: 'w-1', status: 'delivered', status_code: 200 }];
    const limits: number[] = [];
    daemon.daemon.context.overviewSources = {
      recentJobs: (limit) => {
        limits.push(limit);
        return jobs.slice(0, limit);
      },
      recentDeliveries: () => deliveries,
    };
    const res = await daemon.request('GET', '/overview');
    expect(res.status).toBe(200);
    expect(limits).toEqual([5]);
    expect(res.body.jobs).toEqual(jobs.slice(0, 5));
    expect(res.body.deliveries).toEqual(deliveries);

    const three = await daemon.request('GET', '/overview?limit=3');
    expect(three.body.jobs).toHaveLength(3);
    expect(limits).toEqual([5, 3]);
  });

  test('cuts a source that returns too many entries', async () => {
    daemon.daemon.context.overviewSources = {
      recentDeliveries: () => Array.from({ length: 9 }, (_, n) => ({ id: n })),
    };
    const res = await daemon.request('GET', '/overview?limit=2');
    expect(res.body.deliveries).toEqual([{ id: 0 }, { id: 1 }]);
    expect(res.body.jobs).toEqual([]);
  });

  test('failing source gives an empty list and a warning', async () => {
    daemon.daemon.context.overviewSources = {
      recentJobs: () => {
        throw new Error('database is locked');
      },
      recentDeliveries: () => [{ id: 'd-1' }],
    };
    const res = await daemon.request('GET', '/overview');
    expect(res.status).toBe(200);
    expect(res.body.jobs).toEqual([]);
    expect(res.body.deliveries).toEqual([{ id: 'd-1' }]);
    expect(res.body.warnings).toHaveLength(1);
    expect(res.body.warnings[0]).toContain('jobs');
    expect(res.body.warnings[0]).toContain('database is locked');
  });

  test.each(['0', '51', 'five', '2.5', '-1'])('rejects limit=%s', async (limit) => {
    const res = await daemon.request('GET', `/overview?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(`"${limit}"`);
  });
});
