import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../daemon/src/config/load-config.js';
import { Daemon } from '../../daemon/src/daemon.js';
import { createSilentLogger } from '../../daemon/src/logging/logger.js';
import { packageRoot } from '../../daemon/src/version.js';
import { NO_REPLY } from '../support/protocol-peer.js';
import { TestDaemon, createTempProject, testToken, waitFor } from '../support/test-daemon.js';

const run = promisify(execFile);

/** Runs the real CLI entry point in a child process and returns its exit code and output. */
async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(packageRoot, 'daemon/src/cli/main.ts');
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: packageRoot,
      env: { ...process.env, GODOT_BRIDGE_LOG_LEVEL: 'silent', ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('one daemon per state folder', () => {
  let first: TestDaemon;
  afterEach(async () => {
    await first.stop();
  });

  test('second daemon is rejected', async () => {
    first = await TestDaemon.start();
    const peer = await first.connectPeer();
    peer.on('scene.preload', () => NO_REPLY);
    const submitted = await first.request('POST', '/jobs', {
      body: { type: 'scene_preload', parameters: { scene_paths: ['res://scenes/main.tscn'] } },
    });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.job.id as string;
    await waitFor(() => peer.received.some((m) => m.method === 'scene.preload'));

    const config = loadConfig({
      projectDir: first.projectDir,
      overrides: { host: '127.0.0.1', port: 0 },
    });
    const { stateDir } = first.daemon.context.config;
    expect(config.stateDir).toBe(stateDir);
    const discovery = readFileSync(path.join(stateDir, 'daemon.json'), 'utf8');

    const attempt = Daemon.create({ config, log: createSilentLogger(), token: testToken });
    await expect(attempt).rejects.toThrow(/Another godot-bridge daemon/);
    await expect(attempt).rejects.toThrow(stateDir);
    await expect(attempt).rejects.toThrow(`http://127.0.0.1:${first.port}`);
    await expect(attempt).rejects.toThrow(/GODOT_BRIDGE_STATE_DIR/);

    // The first daemon keeps its job and its discovery file.
    const job = await first.request('GET', `/jobs/${jobId}`);
    expect(job.body.job.status).toBe('running');
    expect(readFileSync(path.join(stateDir, 'daemon.json'), 'utf8')).toBe(discovery);
  });

  test('state folder is free after a stop', async () => {
    first = await TestDaemon.start();
    const config = first.daemon.context.config;
    await first.daemon.stop();
    const next = await Daemon.create({ config, log: createSilentLogger(), token: testToken });
    await next.start();
    expect((await fetch(`${next.url}/health`)).status).toBe(200);
    await next.stop();
  });
});

describe('start errors name the value and the fix', () => {
  let projectDir: string;
  let blocker: Server | undefined;
  beforeEach(() => {
    projectDir = createTempProject();
  });
  afterEach(async () => {
    if (blocker) await new Promise<void>((resolve) => blocker!.close(() => resolve()));
    blocker = undefined;
    rmSync(projectDir, { recursive: true, force: true });
  });

  test('port in use gives no stack trace', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const result = await runCli(['start', '--project', projectDir, '--port', String(port)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('--port');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('state folder that cannot be made', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-file-')), 'plain');
    writeFileSync(file, 'not a folder\n');
    const env = { GODOT_BRIDGE_STATE_DIR: file };
    for (const command of [
      ['start', '--project', projectDir, '--port', '0'],
      ['token', '--project', projectDir],
    ]) {
      const result = await runCli(command, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`state folder ${file}`);
      expect(result.stderr).toContain('GODOT_BRIDGE_STATE_DIR');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
