import { Writable } from 'node:stream';

import { Command } from 'commander';

import { addValidateCommand, type CommandIo } from '../../../daemon/src/cli/validate-command.js';
import { makeProject, removeProject, scene } from './project-fixture.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(args: string[], cwd: string): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CommandIo = { stdout, stderr, cwd: () => cwd };
  const program = new Command('godot-bridge').exitOverride();
  addValidateCommand(program, io);
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'godot-bridge', 'validate', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout: stdout.text, stderr: stderr.text };
  } finally {
    process.exitCode = previous;
  }
}

const ROOT = '[node name="Root" type="Node"]';
let dir: string;

beforeAll(async () => {
  dir = await makeProject({
    'good.tscn': scene(ROOT),
    'levels/ok.tscn': scene(ROOT),
    'levels/broken.tscn': scene(ROOT, '[node name="A" type="Node" parent="Gone"]'),
    'old.tscn': '[gd_scene format=2]\n[node name="R" type="Spatial"]\n',
  });
});

afterAll(async () => {
  await removeProject(dir);
});

describe('validate command', () => {
  test('json report lists every scene and fails', async () => {
    const result = await runCli(['--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ scenes: 4, invalid: 1, errors: 1, warnings: 1 });
    const broken = report.results.find(
      (r: { scene_path: string }) => r.scene_path === 'res://levels/broken.tscn',
    );
    expect(broken.errors[0]).toMatchObject({ code: 'MISSING_PARENT', line: 4 });
  });

  test('valid selection exits 0', async () => {
    const result = await runCli(['good.tscn', 'res://levels/ok.tscn'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /2 scene\(s\) checked in \d+ ms: 0 invalid, 0 error\(s\), 0 warning\(s\)/,
    );
  });

  test('globs match relative to the project', async () => {
    const result = await runCli(['--project', dir, '--format', 'json', 'levels/*.tscn'], '/');
    const report = JSON.parse(result.stdout);
    expect(report.results.map((r: { scene_path: string }) => r.scene_path).sort()).toEqual([
      'res://levels/broken.tscn',
      'res://levels/ok.tscn',
    ]);
    expect(result.code).toBe(1);
  });

  test('junit report has a failure per invalid scene', async () => {
    const result = await runCli(['--format', 'junit'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(result.stdout).toMatch(
      /<testsuites name="godot-bridge validate" tests="4" failures="1"/,
    );
    expect(result.stdout.match(/<testcase /g)).toHaveLength(4);
    expect(result.stdout).toMatch(
      /<failure type="validation" message="1 error\(s\): MISSING_PARENT">/,
    );
    expect(result.stdout).toContain('res://levels/broken.tscn:4:35: error MISSING_PARENT');
    expect(result.stdout).toContain('<system-out>res://old.tscn:1:1: warning LEGACY_FORMAT');
  });

  test('text report names file, line and code', async () => {
    const result = await runCli(['levels/broken.tscn'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('res://levels/broken.tscn: INVALID');
    expect(result.stdout).toContain('res://levels/broken.tscn:4:35: error MISSING_PARENT');
  });

  test('folder without project.godot is a usage error', async () => {
    const result = await runCli([], '/');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /No project.godot in \/; run it in a Godot project or pass --project DIR/,
    );
  });

  test('pattern matching nothing is a usage error', async () => {
    const result = await runCli(['nothing/*.tscn'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Pattern 'nothing\/\*.tscn' matched no scene/);
  });

  test('path escaping with dots is a usage error', async () => {
    const result = await runCli(['res://levels/../project.godot'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('contains ".."');
  });

  test('non-scene file is a usage error', async () => {
    const result = await runCli(['project.godot'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not end in .tscn or .scn');
  });

  test('unknown format is rejected', async () => {
    await expect(runCli(['--format', 'xml'], dir)).rejects.toThrow(
      /Allowed choices are text, json, junit/,
    );
  });
});
