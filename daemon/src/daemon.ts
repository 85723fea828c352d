import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assembleContext } from './assemble-context.js';
import type { BridgeConfig } from './config/defaults.js';
import { LinkServer, linkPath } from './godot/link-server.js';
import { createApp } from './http/app.js';
import type { AppContext } from './http/context.js';
import type { Logger } from './logging/logger.js';
import { readProjectInfo } from './scenes/parser/index.js';
import { ProjectValidator } from './scenes/project-validator.js';
import type { StaticSceneValidator } from './scenes/scene-service.js';
import {
  DatabaseLockedError,
  openDatabase,
  stateFileName,
  type Database,
  type Migration,
} from './store/database.js';
import { jobMigrations } from './store/job-store.js';
import { loadOrCreateToken } from './security/token.js';
import { StartupError, listenError, stateDirError } from './startup-error.js';
import { daemonVersion } from './version.js';
import { webhookMigrations } from './webhooks/migrations.js';

/** Every service's schema changes, in the order they apply. */
const migrations: Migration[] = [...webhookMigrations, ...jobMigrations];

/** File in the state folder from which the addon reads the daemon's address. */
export const discoveryFileName = 'daemon.json';

export interface DaemonOptions {
  config: Readonly<BridgeConfig>;
  log: Logger;
  /** Replaces the token file, for tests that set their own token. */
  token?: string;
  staticValidator?: StaticSceneValidator;
  projectName?: string | null;
  /** Clock in Unix milliseconds for the job queue; tests pass their own to move time. */
  now?: () => number;
}

/**
 * The running daemon: one HTTP server that serves the API and accepts the
 * addon's WebSocket on /godot.
 */
export class Daemon {
  readonly context: AppContext;
  readonly app: Express;
  private readonly server: Server;
  private readonly link: LinkServer;
  private stopping = false;
  readonly db: Database;

  /** Builds a daemon with the project's static validator and name read from disk. */
  static async create(options: DaemonOptions): Promise<Daemon> {
    const { config, log } = options;
    let projectName = options.projectName;
    if (projectName === undefined) {
      try {
        projectName = (await readProjectInfo(config.projectDir)).name ?? null;
      } catch (error) {
        log.warn({ err: error, project: config.projectDir }, 'project.godot could not be read');
        projectName = null;
      }
    }
    const staticValidator =
      options.staticValidator ??
      new ProjectValidator(
        config.projectDir,
        config.scenes.maxParseDepth,
        log.child({ component: 'static' }),
      );
    return new Daemon({ ...options, projectName, staticValidator });
  }

  constructor(options: DaemonOptions) {
    const { config, log } = options;
    let token: string;
    try {
      mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
      // The lock comes first, so a rejected daemon changes no state.
      this.db = openDatabase(path.join(config.stateDir, stateFileName), migrations, {
        exclusive: true,
      });
      token = options.token ?? loadOrCreateToken(config.stateDir).token;
    } catch (error) {
      if (error instanceof DatabaseLockedError) throw stateInUseError(config.stateDir);
      if ((error as NodeJS.ErrnoException).syscall) throw stateDirError(config.stateDir, error);
      throw error;
    }
    this.context = assembleContext(options, this.db, token);
    const { registry, schemas, metrics } = this.context;
    this.link = new LinkServer({
      token,
      helloTimeoutMs: config.relay.helloTimeoutMs,
      pingIntervalMs: config.relay.pingIntervalMs,
      // A relayed reply may carry a scene's whole info, so twice the body limit leaves room.
      maxPayloadBytes: config.bodyLimitBytes * 2,
      registry,
      schemas,
      log: log.child({ component: 'link' }),
      observeCommand: metrics.observeCommand,
    });
    this.app = createApp(this.context, () => this.port);
    this.server = createServer(this.app);
    this.server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== linkPath) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.link.handleUpgrade(request, socket, head);
    });
  }

  private listeningPort: number | undefined;

  /** The port the server listens on; the configured one until it listens. */
  get port(): number {
    return this.listeningPort ?? this.context.config.port;
  }

  get url(): string {
    const host = this.context.config.host.includes(':')
      ? `[${this.context.config.host}]`
      : this.context.config.host;
    return `http://${host}:${this.port}`;
  }

  async start(): Promise<void> {
    const { host, port } = this.context.config;
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(listenError(host, port, error));
        this.server.once('error', onError);
        this.server.listen(port, host, () => {
          this.server.off('error', onError);
          this.listeningPort = (this.server.address() as AddressInfo).port;
          resolve();
        });
      });
    } catch (error) {
      // Releases the state folder's lock for the next attempt.
      this.db.close();
      throw error;
    }
    this.writeDiscoveryFile();
    this.context.webhooks.start();
    this.context.jobs.start();
    this.context.log.info(
      { url: this.url, project: this.context.config.projectDir, version: daemonVersion },
      'daemon started',
    );
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.context.log.info('daemon stopping');
    // Before the link closes, so running jobs end as interrupted, not disconnected.
    await this.context.jobs.stop();
    await this.link.close();
    this.context.eventHistory.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.discoveryFile, { force: true });
    await this.context.webhooks.stop();
    this.db.close();
    this.context.log.info('daemon stopped');
  }

  private get discoveryFile(): string {
    return path.join(this.context.config.stateDir, discoveryFileName);
  }

  // The addon reads this file to find the daemon with no setup on the same
  // machine. The token stays in its own owner-only file.
  private writeDiscoveryFile(): void {
    const host = ['0.0.0.0', '::'].includes(this.context.config.host)
      ? '127.0.0.1'
      : this.context.config.host;
    const wsHost = host.includes(':') ? `[${host}]` : host;
    const content = {
      url: `ws://${wsHost}:${this.port}${linkPath}`,
      http_url: `http://${wsHost}:${this.port}`,
      pid: process.pid,
      version: daemonVersion,
      started_at: this.context.startedAt.toISOString(),
    };
    writeFileSync(this.discoveryFile, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  }
}

/** Names the daemon that has locked the state folder, from its discovery file if it exists. */
function stateInUseError(stateDir: string): StartupError {
  let holder = '';
  try {
    const discovery = JSON.parse(readFileSync(path.join(stateDir, discoveryFileName), 'utf8')) as {
      pid?: number;
      http_url?: string;
    };
    holder = ` (pid ${discovery.pid}, ${discovery.http_url})`;
  } catch {
    // The other daemon may still be starting and have no discovery file yet.
  }
  return new StartupError(
    `Another godot-bridge daemon${holder} already uses the state folder ${stateDir}. ` +
      'Stop that daemon first, or give this one its own state folder with ' +
      'GODOT_BRIDGE_STATE_DIR or stateDir in godot-bridge.json.',
  );
}
