import { TestDaemon } from '../support/test-daemon.js';

describe('scene path checks', () => {
  let daemon: TestDaemon;

  beforeAll(async () => {
    daemon = await TestDaemon.start({
      config: { sceneAllowList: ['res://scenes/**/*.tscn'] },
    });
    await daemon.connectPeer();
  });
  afterAll(async () => {
    await daemon.stop();
  });

  const badPaths: Array<[string, string]> = [
    ['res://scenes/../secret.tscn', '".."'],
    ['res://scenes\\main.tscn', 'backslash'],
    ['res://scenes/main\u0000.tscn', 'control character'],
    ['res://scenes/main\n.tscn', 'control character'],
    ['res://scenes/%2e%2e/main.tscn', 'percent-encoding'],
    ['/etc/passwd.tscn', 'absolute'],
    ['user://save.tscn', 'user://'],
    ['scenes/main.tscn', 'res://'],
    ['res://scenes/main.gd', '.tscn or .scn'],
    ['res://scenes//main.tscn', 'not normalized'],
    ['res://./scenes/main.tscn', 'not normalized'],
    ['res://', 'names no file'],
  ];

  test.each(badPaths)('%j gets 400', async (scenePath, reason) => {
    const res = await daemon.request('POST', '/scene/load', { body: { scene_path: scenePath } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_SCENE_PATH');
    expect(res.body.error.message).toContain(reason);
  });

  test('path off the allow-list gets 403', async () => {
    const res = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://levels/boss.tscn' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('SCENE_PATH_NOT_ALLOWED');
    expect(res.body.error.message).toContain('res://scenes/**/*.tscn');
  });

  test('bad path never reaches Godot', async () => {
    const peer = daemon.peers[0]!;
    const before = peer.received.length;
    await daemon.request('POST', '/scene/load', { body: { scene_path: 'res://../x.tscn' } });
    await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://levels/x.tscn' },
    });
    expect(peer.received.length).toBe(before);
  });
});
