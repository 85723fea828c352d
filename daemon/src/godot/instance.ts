import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { BridgeError } from '../errors/catalogue.js';
import type { Logger } from '../logging/logger.js';
import type { CommandObserver, CommandOutcome } from '../metrics/metrics.js';
import type { SchemaRegistry } from '../schemas/registry.js';
import { describeSchemaErrors } from '../schemas/registry.js';
import { bridgeErrorFromRpc, type RpcErrorObject } from './rpc-errors.js';

/** The instance's description from its hello, kept up to date by its notifications. */
export interface InstanceInfo {
  role: 'editor' | 'game';
  name: string;
  engineVersion: { major: number; minor: number; patch: number; status?: string; string: string };
  addonVersion: string;
  projectName: string;
  platform: string;
  xrActive: boolean;
  currentScene: string | null;
  frameTimeMs: number | null;
  fps: number | null;
}

interface PendingRequest {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  /** Clears the deadline and detaches from the caller's signal. */
  settle: () => void;
}

export interface RequestOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One connected Godot instance: sends JSON-RPC requests over its socket,
 * matches the replies and fails every waiting request when the link drops.
 */
export class GodotInstance extends EventEmitter {
  readonly connectedAt = new Date();
  private readonly pending = new Map<string, PendingRequest>();
  // A promise chain rather than a p-queue: with concurrency 1 the chain is all
  // that is needed, and it keeps the relay's per-request overhead small.
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    readonly id: string,
    readonly info: InstanceInfo,
    private readonly socket: WebSocket,
    private readonly schemas: SchemaRegistry,
    readonly log: Logger,
    private readonly observer?: CommandObserver,
  ) {
    super();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Runs `work` with this instance to itself: work queued here runs one at a
   * time, so a batch or a job never interleaves its commands with another's.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.waiting++;
    const run = this.tail.then(work);
    const settled = run.then(
      () => this.waiting--,
      () => this.waiting--,
    );
    this.tail = settled;
    return run;
  }

  /** Number of exclusive tasks waiting or running on this instance. */
  get queueDepth(): number {
    return this.waiting;
  }

  /** Sends a request and resolves with the addon's checked result. */
  request<T = unknown>(method: string, params: object, options: RequestOptions): Promise<T> {
    const observer = this.observer;
    if (!observer) return this.send<T>(method, params, options);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    return this.send<T>(method, params, options).then(
      (result) => {
        observer(method, 'ok', seconds());
        return result;
      },
      (error: unknown) => {
        observer(method, outcomeOf(error), seconds());
        throw error;
      },
    );
  }

  private send<T>(method: string, params: object, options: RequestOptions): Promise<T> {
    if (this.closed) return Promise.reject(this.disconnectedError(method));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);

    const id = String(this.nextId++);
    const signal = options.signal;
    return new Promise<T>((resolve, reject) => {
      // A job passes one signal to all its commands, so each request detaches
      // its listener when it settles instead of leaving it for the job's life.
      const onAbort = () => this.abort(id, signal?.reason);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        this.log.warn(
          { method, requestId: id, timeoutMs: options.timeoutMs },
          'godot request timed out',
        );
        reject(
          new BridgeError(
            'GODOT_TIMEOUT',
            `Godot instance ${this.id} did not answer ${method} within ${options.timeoutMs} ms. ` +
              'Check that the game is not paused in a debugger, or raise relay.commandTimeoutMs.',
            { details: { instance: this.id, method, timeout_ms: options.timeoutMs } },
          ),
        );
      }, options.timeoutMs);
      this.pending.set(id, {
        method,
        resolve: resolve as (result: unknown) => void,
        reject,
        settle: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), (error) => {
        if (error) this.fail(id, this.disconnectedError(method, error));
      });
    });
  }

  /** Handles a response from the addon; returns false when no request waits for it. */
  handleResponse(message: {
    id: string | number | null;
    result?: unknown;
    error?: RpcErrorObject;
  }): boolean {
    const id = String(message.id);
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    entry.settle();

    if (message.error) {
      entry.reject(bridgeErrorFromRpc(entry.method, message.error));
      return true;
    }
    const resultRef = `ws/results#/$defs/${entry.method}`;
    if (this.schemas.has(resultRef)) {
      const validate = this.schemas.validator(resultRef);
      if (!validate(message.result)) {
        const problems = describeSchemaErrors(validate.errors).join('; ');
        this.log.error({ method: entry.method, problems }, 'godot sent an invalid result');
        entry.reject(
          new BridgeError(
            'GODOT_ERROR',
            `Godot sent an invalid result for ${entry.method}: ${problems}. Update the addon to match the daemon.`,
          ),
        );
        return true;
      }
    }
    entry.resolve(message.result);
    return true;
  }

  /** Applies a `scene.changed` or `instance.status` notification. */
  handleNotification(method: string, params: Record<string, unknown>): void {
    if (method === 'scene.changed') {
      const scene = (params.current_scene as string | null) ?? null;
      const previous = this.info.currentScene;
      this.info.currentScene = scene;
      if (previous !== scene) this.emit('scene.changed', { previous, current: scene });
    } else if (method === 'instance.status') {
      if (typeof params.frame_time_ms === 'number') this.info.frameTimeMs = params.frame_time_ms;
      if (typeof params.fps === 'number') this.info.fps = params.fps;
      if (typeof params.xr_active === 'boolean') this.info.xrActive = params.xr_active;
    }
  }

  /** Marks the link closed and fails every waiting request at once with 503. */
  markClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id, entry] of this.pending) {
      this.fail(id, this.disconnectedError(entry.method, new Error(reason)));
    }
    // Queued exclusive work is left to run: its requests now fail at once with
    // GODOT_DISCONNECTED, so every waiting caller gets a response.
    this.emit('closed', reason);
  }

  /**
   * Pings the socket and resolves true if the pong arrives within
   * `timeoutMs`. A game that lost its network keeps a half-open socket that
   * sends nothing back, and this tells it from a live one.
   */
  probe(timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onPong = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.socket.off('pong', onPong);
        resolve(false);
      }, timeoutMs);
      this.socket.once('pong', onPong);
      this.socket.ping();
    });
  }

  /** Drops the socket at once, without a close handshake. */
  terminate(reason: string): void {
    this.socket.terminate();
    this.markClosed(reason);
  }

  /** Closes the socket from the daemon's side. */
  close(code: number, reason: string): void {
    this.socket.close(code, reason);
    this.markClosed(reason);
  }

  /** Describes the instance in the form GET /instances returns. */
  describe(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.info.name || null,
      role: this.info.role,
      engine_version: this.info.engineVersion.string,
      engine: this.info.engineVersion,
      addon_version: this.info.addonVersion,
      project_name: this.info.projectName,
      platform: this.info.platform,
      xr_active: this.info.xrActive,
      current_scene: this.info.currentScene,
      frame_time_ms: this.info.frameTimeMs,
      fps: this.info.fps,
      connected_since: this.connectedAt.toISOString(),
    };
  }

  private abort(id: string, reason: unknown): void {
    const error = reason instanceof Error ? reason : new Error('request aborted');
    this.fail(id, error);
  }

  private fail(id: string, error: Error): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.settle();
    entry.reject(error);
  }

  private disconnectedError(method: string, cause?: Error): BridgeError {
    return new BridgeError(
      'GODOT_DISCONNECTED',
      `The link to Godot instance ${this.id} dropped before it answered ${method}. ` +
        'Check that the game is still running; the addon reconnects on its own.',
      { details: { instance: this.id, method }, cause },
    );
  }
}

function outcomeOf(error: unknown): CommandOutcome {
  if (error instanceof BridgeError && error.code === 'GODOT_TIMEOUT') return 'timeout';
  if (error instanceof BridgeError && error.code === 'GODOT_DISCONNECTED') return 'disconnected';
  return 'error';
}
