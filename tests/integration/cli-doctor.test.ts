import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { formatChecks } from '../../daemon/src/cli/doctor-command.js';
import { doctorFailed, runDoctor, type DoctorCheck } from '../../daemon/src/install/doctor.js';
import { installAddon } from '../../daemon/src/install/install-addon.js';
import { packageRoot } from '../../daemon/src/version.js';
import { TestDaemon, createTempProject, testToken } from '../support/test-daemon.js';

const run = promisify(execFile);

/** Runs the real CLI entry point in a child process and returns its exit code and output. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(packageRoot, 'daemon/src/cli/main.ts');
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: packageRoot,
      env: { ...process.env, GODOT_BRIDGE_LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function find(checks: DoctorCheck[], text: string): DoctorCheck | undefined {
  return checks.find((check) => check.message.includes(text));
}

describe('doctor without a daemon', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('bare project lists every missing piece with fixes', async () => {
    dir = createTempProject();
    const checks = await runDoctor({ projectDir: dir });
    expect(doctorFailed(checks)).toBe(true);
    expect(find(checks, 'is readable')?.status).toBe('ok');
    expect(find(checks, 'Godot 4 file')?.status).toBe('ok');
    const addon = find(checks, 'addon is missing');
    expect(addon?.status).toBe('fail');
    expect(addon?.fix).toContain(`install-addon ${dir}`);
    expect(find(checks, 'plugin is not enabled')?.status).toBe('fail');
    expect(find(checks, 'has no GodotBridge entry')?.status).toBe('fail');
    expect(find(checks, 'token file')?.status).toBe('fail');
    const daemon = find(checks, 'No daemon is running');
    expect(daemon?.status).toBe('fail');
    expect(daemon?.fix).toContain(`npx godot-bridge start --project ${dir}`);
  });

  test('stale discovery file says the daemon is not reachable', async () => {
    dir = createTempProject();
    installAddon({ projectDir: dir });
    const stateDir = path.join(dir, '.godot/godot_bridge');
    const port = await closedPort();
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path.join(stateDir, 'token'), `${testToken}\n`);
    writeFileSync(
      path.join(stateDir, 'daemon.json'),
      JSON.stringify({ url: `ws://127.0.0.1:${port}/godot`, http_url: `http://127.0.0.1:${port}` }),
    );
    const checks = await runDoctor({ projectDir: dir });
    const unreachable = find(checks, 'is not reachable');
    expect(unreachable?.status).toBe('fail');
    expect(unreachable?.message).toContain('ECONNREFUSED');
    expect(unreachable?.fix).toContain('stale');
    expect(checks.filter((check) => check.status === 'fail')).toHaveLength(1);
  });

  test('Godot 3 project fails with the reason', async () => {
    dir = createTempProject({ 'project.godot': 'config_version=4\n' });
    const checks = await runDoctor({ projectDir: dir });
    expect(find(checks, 'Godot 3 project')?.status).toBe('fail');
  });

  test('missing project.godot fails and names the option', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-doctor-'));
    const checks = await runDoctor({ projectDir: dir });
    const missing = find(checks, 'cannot be read');
    expect(missing?.status).toBe('fail');
    expect(missing?.fix).toContain('--project');
  });

  test('changed and outdated addon files are reported', async () => {
    dir = createTempProject();
    installAddon({ projectDir: dir });
    const addonDir = path.join(dir, 'addons/godot_bridge');
    writeFileSync(path.join(addonDir, 'bridge.gd'), '# edited\n', { flag: 'a' });
    let checks = await runDoctor({ projectDir: dir });
    const changed = find(checks, 'differ from this package');
    expect(changed?.status).toBe('warn');
    expect(changed?.message).toContain('bridge.gd');

    const cfg = path.join(addonDir, 'plugin.cfg');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/version="[^"]*"/, 'version="0.0.1"'));
    checks = await runDoctor({ projectDir: dir });
    const outdated = find(checks, 'is version 0.0.1');
    expect(outdated?.status).toBe('fail');
    expect(outdated?.fix).toContain('install-addon');
  });

  test('CLI exits 1 and prints the fixes', async () => {
    dir = createTempProject();
    const port = await closedPort();
    const result = await runCli(['doctor', '--project', dir, '--url', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL  The addon is missing');
    expect(result.stdout).toContain('      fix: Run `npx godot-bridge install-addon');
    expect(result.stdout).toContain(`The daemon at http://127.0.0.1:${port} is not reachable`);
    expect(result.stdout).toMatch(/\d+ problem\(s\) found/);
  });
});

describe('doctor with a running daemon', () => {
  let daemon: TestDaemon;
  let stateDir: string;

  beforeEach(async () => {
    daemon = await TestDaemon.start();
    installAddon({ projectDir: daemon.projectDir });
    stateDir = daemon.daemon.context.config.stateDir;
    writeFileSync(path.join(stateDir, 'token'), `${testToken}\n`);
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('finds the daemon and warns with no instance', async () => {
    const checks = await runDoctor({ projectDir: daemon.projectDir });
    expect(doctorFailed(checks)).toBe(false);
    expect(find(checks, 'discovery file names')?.status).toBe('ok');
    expect(find(checks, 'is running')?.status).toBe('ok');
    expect(find(checks, 'accepted the token')?.status).toBe('ok');
    const none = find(checks, 'No Godot instance is connected');
    expect(none?.status).toBe('warn');
    expect(none?.fix).toContain('run the game');
  });

  test('all green with an instance of this project', async () => {
    const peer = await daemon.connectPeer({ role: 'editor', project_name: 'Test Project' });
    const checks = await runDoctor({ projectDir: daemon.projectDir });
    expect(checks.filter((check) => check.status !== 'ok')).toEqual([]);
    expect(find(checks, 'instance(s) connected')?.message).toContain(`${peer.instanceId} (editor)`);
    expect(find(checks, 'run(s) this project')?.message).toContain(peer.instanceId);
    expect(formatChecks(checks)).toMatch(/No problems found\.\n$/);
  });

  test('instance of another project is a warning', async () => {
    await daemon.connectPeer({ role: 'game', project_name: 'Some Other Game' });
    const checks = await runDoctor({ projectDir: daemon.projectDir });
    expect(doctorFailed(checks)).toBe(false);
    expect(find(checks, 'No connected instance runs this project')?.status).toBe('warn');
  });

  test('wrong token fails with HTTP 401', async () => {
    writeFileSync(path.join(stateDir, 'token'), 'not-the-daemon-token-000000\n');
    const checks = await runDoctor({ projectDir: daemon.projectDir });
    const rejected = find(checks, 'rejected the token');
    expect(rejected?.status).toBe('fail');
    expect(rejected?.fix).toContain('--token');
  });

  test('token option overrides the token file', async () => {
    rmSync(path.join(stateDir, 'token'));
    const checks = await runDoctor({
      projectDir: daemon.projectDir,
      url: `http://127.0.0.1:${daemon.port}`,
      token: testToken,
    });
    expect(doctorFailed(checks)).toBe(false);
    expect(find(checks, 'accepted the token')?.status).toBe('ok');
  });

  test('daemon serving another project is a warning', async () => {
    const other = createTempProject();
    try {
      installAddon({ projectDir: other });
      const checks = await runDoctor({
        projectDir: other,
        url: `http://127.0.0.1:${daemon.port}`,
        token: testToken,
      });
      const served = find(checks, `The daemon serves ${daemon.projectDir}`);
      expect(served?.status).toBe('warn');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('CLI exits 0 and prints JSON', async () => {
    await daemon.connectPeer({ role: 'game', project_name: 'Test Project' });
    const result = await runCli(['doctor', '--project', daemon.projectDir, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.success).toBe(true);
    expect(report.checks.every((check: DoctorCheck) => check.status === 'ok')).toBe(true);
  });
});
