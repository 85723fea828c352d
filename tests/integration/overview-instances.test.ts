import { TestDaemon } from '../support/test-daemon.js';

/**
 * How `?instance=` picks among several instances by the names users give them
 * (Project Setting godot_bridge/instance_name), as the editor dock and the
 * headset guide use it.
 */
describe('instance selection by name', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start();
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('name picks the named instance', async () => {
    await daemon.connectPeer({ role: 'editor', current_scene: 'res://scenes/main.tscn' });
    const quest = await daemon.connectPeer({
      role: 'game',
      instance_name: 'quest',
      current_scene: 'res://scenes/other.tscn',
    });
    await daemon.connectPeer({ role: 'game', instance_name: 'desktop' });
    const res = await daemon.request('GET', '/scene?instance=quest');
    expect(res.status).toBe(200);
    expect(res.body.instance).toBe(quest.instanceId);
    expect(res.body.scene.path).toBe('res://scenes/other.tscn');
  });

  test('selector given twice is rejected', async () => {
    // With one instance connected, an ignored selector would reach that instance.
    const peer = await daemon.connectPeer({ role: 'game', instance_name: 'quest' });
    const requests: Array<[string, string, unknown]> = [
      ['GET', '/scene?instance=quest&instance=desk', undefined],
      ['POST', '/scene/reload?instance=quest&instance=desk', undefined],
      ['POST', '/jobs?instance=quest&instance=desk', { type: 'cache_warming', parameters: {} }],
    ];
    for (const [method, urlPath, body] of requests) {
      const res = await daemon.request(method, urlPath, { body });
      expect(`${method} ${urlPath} ${res.status}`).toBe(`${method} ${urlPath} 400`);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain('more than once');
    }
    expect(peer.received).toEqual([]);
    const jobs = await daemon.request('GET', '/jobs');
    expect(jobs.body.total).toBe(0);
  });

  test('same name twice gets 409 listing both ids', async () => {
    const first = await daemon.connectPeer({ role: 'game', instance_name: 'quest' });
    const second = await daemon.connectPeer({ role: 'editor', instance_name: 'quest' });
    const res = await daemon.request('GET', '/scene?instance=quest');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('AMBIGUOUS_INSTANCE');
    expect(res.body.error.message).toContain(first.instanceId);
    expect(res.body.error.message).toContain(second.instanceId);
    expect(res.body.error.message).toContain('by its id');
    expect(res.body.error.details.instances).toHaveLength(2);
  });

  test('id still works when names clash', async () => {
    await daemon.connectPeer({ role: 'game', instance_name: 'quest' });
    const second = await daemon.connectPeer({
      role: 'editor',
      instance_name: 'quest',
      current_scene: 'res://scenes/main.tscn',
    });
    const res = await daemon.request('GET', `/scene?instance=${second.instanceId}`);
    expect(res.status).toBe(200);
    expect(res.body.instance).toBe(second.instanceId);
  });

  test('role is ambiguous with two games', async () => {
    await daemon.connectPeer({ role: 'game', instance_name: 'quest' });
    await daemon.connectPeer({ role: 'game', instance_name: 'desktop' });
    const res = await daemon.request('GET', '/scene?instance=game');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('AMBIGUOUS_INSTANCE');
  });

  test('unknown name gets 404 listing connected ids', async () => {
    const quest = await daemon.connectPeer({ role: 'game', instance_name: 'quest' });
    const res = await daemon.request('GET', '/scene?instance=pico');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('INSTANCE_NOT_FOUND');
    expect(res.body.error.message).toContain('"pico"');
    expect(res.body.error.message).toContain(quest.instanceId);
  });

  test('name is case-sensitive', async () => {
    await daemon.connectPeer({ role: 'game', instance_name: 'Quest' });
    await daemon.connectPeer({ role: 'editor' });
    const res = await daemon.request('GET', '/scene?instance=quest');
    expect(res.status).toBe(404);
  });

  test('id is stable across reconnects and differs by name', async () => {
    const quest = await daemon.connectPeer({ role: 'game', instance_name: 'quest' });
    const desktop = await daemon.connectPeer({ role: 'game', instance_name: 'desktop' });
    expect(quest.instanceId).toMatch(/^game-[0-9a-f]{4}$/);
    expect(desktop.instanceId).toMatch(/^game-[0-9a-f]{4}$/);
    expect(quest.instanceId).not.toBe(desktop.instanceId);
    const firstId = quest.instanceId;
    await quest.close();
    const registry = daemon.daemon.context.registry;
    for (let n = 0; n < 200 && registry.list().some((i) => i.id === firstId); n++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const again = await daemon.connectPeer({ role: 'game', instance_name: 'quest' });
    expect(again.instanceId).toBe(firstId);
  });

  test('two identical games get distinct ids', async () => {
    const first = await daemon.connectPeer({ role: 'game' });
    const second = await daemon.connectPeer({ role: 'game' });
    expect(second.instanceId).toBe(`${first.instanceId}-2`);
  });

  test('headset and desktop game get distinct ids', async () => {
    const desktop = await daemon.connectPeer({ role: 'game' });
    const headset = await daemon.connectPeer({ role: 'game', platform: 'Android' } as never);
    expect(headset.instanceId).toMatch(/^game-[0-9a-f]{4}$/);
    expect(headset.instanceId).not.toBe(desktop.instanceId);
    const res = await daemon.request('GET', `/instances`);
    const platforms = (res.body.instances as Array<{ id: string; platform: string }>).map(
      (i) => `${i.id}=${i.platform}`,
    );
    expect(platforms).toContain(`${headset.instanceId}=Android`);
  });
});
