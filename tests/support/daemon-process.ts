import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../daemon/src/version.js';
import { waitFor } from './test-daemon.js';

/**
 * `godot-bridge start` from the TypeScript sources in a child process, for
 * tests that kill the daemon the way a crash does and start it again on the
 * same state folder.
 */
export class DaemonProcess {
  private constructor(
    readonly child: ChildProcess,
    /** The daemon's HTTP base URL, from its discovery file. */
    readonly url: string,
    readonly output: string[],
  ) {}

  /** Starts the daemon and resolves once its discovery file names the new process. */
  static async spawn(projectDir: string, stateDir: string): Promise<DaemonProcess> {
    const discovery = path.join(stateDir, 'daemon.json');
    rmSync(discovery, { force: true });
    const cli = path.join(packageRoot, 'daemon', 'src', 'cli', 'main.ts');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, 'start', '--project', projectDir, '--port', '0', '--no-pretty'],
      {
        cwd: packageRoot,
        env: { ...process.env, GODOT_BRIDGE_STATE_DIR: stateDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    try {
      await waitFor(() => {
        if (child.exitCode !== null) throw new Error(`daemon exited: ${output.join('')}`);
        if (!existsSync(discovery)) return false;
        const content = JSON.parse(readFileSync(discovery, 'utf8')) as { pid: number };
        return content.pid === child.pid;
      }, 30_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`daemon did not start: ${output.join('')}`, { cause: error });
    }
    const { http_url: url } = JSON.parse(readFileSync(discovery, 'utf8')) as { http_url: string };
    return new DaemonProcess(child, url, output);
  }

  /** Kills the process with SIGKILL, like a crash: no shutdown code runs. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}
