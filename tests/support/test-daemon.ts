import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { BridgeConfig } from '../../daemon/src/config/defaults.js';
import { loadConfig, type DeepPartial } from '../../daemon/src/config/load-config.js';
import { Daemon, type DaemonOptions } from '../../daemon/src/daemon.js';
import { createSilentLogger } from '../../daemon/src/logging/logger.js';
import { ProtocolPeer, type PeerHello } from './protocol-peer.js';

export const testToken = 'test-token-0123456789abcdef';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  token?: string | null;
}

/** Writes a small Godot project into a new temporary folder. */
export function createTempProject(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-test-'));
  const all: Record<string, string> = {
    'project.godot': 'config_version=5\n\n[application]\n\nconfig/name="Test Project"\n',
    'scenes/main.tscn': '[gd_scene format=3]\n\n[node name="Main" type="Node3D"]\n',
    'scenes/other.tscn': '[gd_scene format=3]\n\n[node name="Other" type="Node2D"]\n',
    ...files,
  };
  for (const [name, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** A daemon on 127.0.0.1 port 0 over a temporary project, with helpers to call it. */
export class TestDaemon {
  readonly peers: ProtocolPeer[] = [];

  private constructor(
    readonly daemon: Daemon,
    readonly projectDir: string,
    private readonly ownsProject: boolean,
  ) {}

  static async start(
    options: {
      config?: DeepPartial<BridgeConfig>;
      files?: Record<string, string>;
      /** An existing project to serve; its state goes to a temporary folder. */
      projectDir?: string;
    } & Partial<Omit<DaemonOptions, 'config'>> = {},
  ): Promise<TestDaemon> {
    const ownsProject = options.projectDir === undefined;
    const projectDir = options.projectDir ?? createTempProject(options.files);
    const stateDir = ownsProject
      ? undefined
      : mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-state-'));
    const config = loadConfig({
      projectDir,
      overrides: {
        host: '127.0.0.1',
        port: 0,
        ...(stateDir ? { stateDir } : {}),
        ...options.config,
      },
    });
    const daemon = await Daemon.create({
      log: createSilentLogger(),
      token: testToken,
      ...options,
      config,
    });
    await daemon.start();
    return new TestDaemon(daemon, projectDir, ownsProject);
  }

  get port(): number {
    return this.daemon.port;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/godot`;
  }

  /** Connects a protocol peer that the daemon accepts. */
  async connectPeer(hello: Partial<PeerHello> = {}): Promise<ProtocolPeer> {
    const peer = await ProtocolPeer.connect(this.wsUrl, { token: testToken, ...hello });
    this.peers.push(peer);
    await waitFor(() => this.daemon.context.registry.list().some((i) => i.id === peer.instanceId));
    return peer;
  }

  /** Sends an HTTP request with node:http, so any Host or Origin header can be set. */
  request(method: string, urlPath: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? testToken : options.token;
    if (token !== null && !headers.authorization) headers.authorization = `Bearer ${token}`;
    let payload: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: this.port, method, path: urlPath, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.peers.map((peer) => peer.close().catch(() => undefined)));
    await this.daemon.stop();
    if (this.ownsProject) rmSync(this.projectDir, { recursive: true, force: true });
    else rmSync(this.daemon.context.config.stateDir, { recursive: true, force: true });
  }
}

/** Polls a condition every 10 ms until it holds, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
