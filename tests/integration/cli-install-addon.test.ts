import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../daemon/src/version.js';
import { createTempProject } from '../support/test-daemon.js';

const run = promisify(execFile);

/** Runs the real CLI entry point in a child process and returns its exit code and output. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(packageRoot, 'daemon/src/cli/main.ts');
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: packageRoot,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('godot-bridge install-addon', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('installs, then reports nothing to change', async () => {
    dir = createTempProject();
    const first = await runCli(['install-addon', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('added   addons/godot_bridge/bridge.gd');
    expect(first.stdout).toContain('project.godot: enabled the plugin');
    expect(first.stdout).toContain('project.godot: added the autoload GodotBridge');
    const projectGodot = readFileSync(path.join(dir, 'project.godot'), 'utf8');
    expect(projectGodot).toContain('GodotBridge="*res://addons/godot_bridge/bridge.gd"');

    const second = await runCli(['install-addon', dir]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to change');
    expect(readFileSync(path.join(dir, 'project.godot'), 'utf8')).toBe(projectGodot);
  });

  test('Godot 3 project exits 1 with the reason', async () => {
    dir = createTempProject({ 'project.godot': 'config_version=4\n' });
    const result = await runCli(['install-addon', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('config_version=4, which is a Godot 3 project');
    expect(result.stdout).toBe('');
  });

  test('unwritable addons folder gives no stack trace', async () => {
    // A file named addons stands in for a folder the user cannot write.
    dir = createTempProject({ addons: 'not a folder\n' });
    const projectGodot = readFileSync(path.join(dir, 'project.godot'), 'utf8');
    const result = await runCli(['install-addon', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(path.join(dir, 'addons'));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(path.join(dir, 'project.godot'), 'utf8')).toBe(projectGodot);
  });
});
