import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../daemon/src/config/load-config.js';

function projectWith(config?: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-config-'));
  if (config !== undefined) {
    writeFileSync(
      path.join(dir, 'godot-bridge.json'),
      typeof config === 'string' ? config : JSON.stringify(config),
    );
  }
  return dir;
}

describe('loadConfig', () => {
  test('defaults apply without a file', () => {
    const config = loadConfig({ projectDir: projectWith() });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.batch.maxOperations).toBe(50);
    expect(config.jobs.concurrency).toBe(3);
    expect(config.webhooks.retryDelaysMs).toEqual([1000, 5000, 15000]);
    expect(config.stateDir).toBe(path.join(config.projectDir, '.godot', 'godot_bridge'));
  });

  test('file, environment and flags override in order', () => {
    const dir = projectWith({ port: 9000, host: '0.0.0.0', batch: { rateLimit: 3 } });
    const config = loadConfig({
      projectDir: dir,
      env: { GODOT_BRIDGE_PORT: '9100' },
      overrides: { host: '127.0.0.1' },
    });
    expect(config.port).toBe(9100);
    expect(config.host).toBe('127.0.0.1');
    expect(config.batch.rateLimit).toBe(3);
    expect(config.batch.maxOperations).toBe(50);
  });

  test('result is frozen', () => {
    const config = loadConfig({ projectDir: projectWith() });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.relay)).toBe(true);
  });

  test('invalid file JSON names the file', () => {
    const dir = projectWith('{ port: ');
    expect(() => loadConfig({ projectDir: dir })).toThrow(ConfigError);
    expect(() => loadConfig({ projectDir: dir })).toThrow(/godot-bridge\.json is not valid JSON/);
  });

  test('invalid setting names the field', () => {
    const dir = projectWith({ batch: { maxOperations: 0 } });
    expect(() => loadConfig({ projectDir: dir })).toThrow(/\/batch\/maxOperations must be >= 1/);
  });

  test('unknown setting is named', () => {
    const dir = projectWith({ prot: 1, batch: { maxOps: 5 } });
    const load = () => loadConfig({ projectDir: dir });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/unknown setting "prot"/);
    expect(load).toThrow(/unknown setting "batch\.maxOps"/);
    expect(load).toThrow(/defaults\.ts lists every setting/);
  });

  test('bad log level lists the levels', () => {
    const load = () =>
      loadConfig({ projectDir: projectWith(), env: { GODOT_BRIDGE_LOG_LEVEL: 'verbose' } });
    expect(load).toThrow(/\/logLevel must be one of "trace", "debug", "info"/);
    expect(load).toThrow(/got "verbose"/);
  });

  test('bad port variable names the variable', () => {
    expect(() =>
      loadConfig({ projectDir: projectWith(), env: { GODOT_BRIDGE_PORT: 'eighty' } }),
    ).toThrow(/GODOT_BRIDGE_PORT must be a port number/);
  });
});
