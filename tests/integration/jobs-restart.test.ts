import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess } from '../support/daemon-process.js';
import { NO_REPLY, ProtocolPeer } from '../support/protocol-peer.js';
import { createTempProject, waitFor } from '../support/test-daemon.js';

/** A crash-test daemon with the field names this file uses. */
interface RunningDaemon {
  process: DaemonProcess;
  httpUrl: string;
  output: string[];
}

async function startDaemon(projectDir: string, stateDir: string): Promise<RunningDaemon> {
  const daemon = await DaemonProcess.spawn(projectDir, stateDir);
  return { process: daemon, httpUrl: daemon.url, output: daemon.output };
}

function isFinished(status: string): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

async function killHard(daemon: RunningDaemon): Promise<void> {
  await daemon.process.kill();
}

describe('jobs across a daemon crash', () => {
  let projectDir: string;
  let stateDir: string;
  const daemons: RunningDaemon[] = [];
  const peers: ProtocolPeer[] = [];

  beforeEach(() => {
    projectDir = createTempProject({
      'project.godot':
        'config_version=5\n\n[application]\n\nconfig/name="Crash Test"\n' +
        'run/main_scene="res://scenes/main.tscn"\n',
      // One job at a time, so the jobs after the first stay queued.
      'godot-bridge.json': JSON.stringify({ jobs: { concurrency: 1 } }),
    });
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-state-'));
  });
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.terminate();
    for (const daemon of daemons.splice(0)) await killHard(daemon);
    rmSync(projectDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('kill -9 loses no job record', async () => {
    const first = await startDaemon(projectDir, stateDir);
    daemons.push(first);
    const token = readFileSync(path.join(stateDir, 'token'), 'utf8').trim();
    let baseUrl = first.httpUrl;
    const call = async (method: string, urlPath: string, body?: unknown) => {
      const res = await fetch(`${baseUrl}${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };

    const wsUrl = first.httpUrl.replace(/^http/, 'ws') + '/godot';
    const peer = await ProtocolPeer.connect(wsUrl, { token });
    peers.push(peer);
    peer.on('scene.preload', (params) =>
      params.scene_path === 'res://scenes/other.tscn'
        ? NO_REPLY
        : { scene_path: params.scene_path, load_ms: 2, cached: true },
    );

    const slow = await call('POST', '/jobs', {
      type: 'scene_preload',
      parameters: { scene_paths: ['res://scenes/main.tscn', 'res://scenes/other.tscn'] },
    });
    expect(slow.status).toBe(202);
    const queuedIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const queued = await call('POST', '/jobs', { type: 'cache_warming', parameters: {} });
      expect(queued.status).toBe(202);
      queuedIds.push(queued.body.job.id as string);
    }
    await waitFor(() =>
      peer.received.some((m) => m.params.scene_path === 'res://scenes/other.tscn'),
    );
    const before = await call('GET', `/jobs/${slow.body.job.id}`);
    expect(before.body.job.status).toBe('running');
    expect(before.body.job.progress).toBe(0.5);
    for (const id of queuedIds) {
      expect((await call('GET', `/jobs/${id}`)).body.job.status).toBe('queued');
    }

    await killHard(first);
    peer.terminate();

    const second = await startDaemon(projectDir, stateDir);
    daemons.push(second);
    baseUrl = second.httpUrl;

    // The queued jobs run after the restart; wait until none is queued or running.
    const ids = [slow.body.job.id as string, ...queuedIds];
    let list = await call('GET', '/jobs');
    const deadline = Date.now() + 15_000;
    while (list.body.jobs.some((job: { status: string }) => !isFinished(job.status))) {
      if (Date.now() > deadline)
        throw new Error(`jobs did not finish: ${JSON.stringify(list.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      list = await call('GET', '/jobs');
    }
    expect(list.body.total).toBe(3);
    expect(list.body.jobs.map((job: { id: string }) => job.id).sort()).toEqual([...ids].sort());

    const interrupted = (await call('GET', `/jobs/${slow.body.job.id}`)).body.job;
    expect(interrupted.status).toBe('failed');
    expect(interrupted.error.code).toBe('JOB_INTERRUPTED');
    expect(interrupted.error.message).toContain('daemon stopped while this job was running');
    expect(interrupted.progress).toBe(0.5);
    expect(interrupted.completed_at).not.toBeNull();

    for (const id of queuedIds) {
      const job = (await call('GET', `/jobs/${id}`)).body.job;
      expect(job.status).toBe('completed');
      expect(job.progress).toBe(1);
      expect(job.result.main_scene).toBe('res://scenes/main.tscn');
    }
    const log = second.output.join('');
    expect(log).toContain(`"jobId":"${slow.body.job.id}"`);
    expect(log).toContain('job interrupted by a daemon stop');
  });
});
