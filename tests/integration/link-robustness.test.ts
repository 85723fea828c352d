import { getEventListeners } from 'node:events';
import { TestDaemon } from '../support/test-daemon.js';

describe('link robustness', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({ config: { relay: { commandTimeoutMs: 2000 } } });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('answered requests detach abort listeners', async () => {
    await daemon.connectPeer({ current_scene: 'res://scenes/main.tscn' });
    const [instance] = daemon.daemon.context.registry.list();
    // A job passes one signal to every command it sends, for as long as it runs.
    const controller = new AbortController();
    for (let i = 0; i < 25; i++) {
      await instance!.request('scene.info', {}, { timeoutMs: 2000, signal: controller.signal });
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  test('failed request detaches abort listener', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.info', () => {
      throw new Error('boom');
    });
    const [instance] = daemon.daemon.context.registry.list();
    const controller = new AbortController();
    await expect(
      instance!.request('scene.info', {}, { timeoutMs: 2000, signal: controller.signal }),
    ).rejects.toThrow('boom');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
