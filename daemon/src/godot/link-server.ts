import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Logger } from '../logging/logger.js';
import type { CommandObserver } from '../metrics/metrics.js';
import { describeSchemaErrors, type SchemaRegistry } from '../schemas/registry.js';
import { tokensMatch } from '../security/token.js';
import { daemonVersion, protocolVersion } from '../version.js';
import { GodotInstance, type InstanceInfo } from './instance.js';
import { isRecord } from './is-record.js';
import type { InstanceRegistry } from './instance-registry.js';

/** Path of the addon's WebSocket on the daemon's HTTP port. */
export const linkPath = '/godot';

/** Time a connected instance has to return a pong when a twin connects. */
const staleProbeTimeoutMs = 1000;

/** WebSocket close codes of the link, as docs/protocol.md lists them. */
export const closeCodes = {
  helloTimeout: 4000,
  badToken: 4001,
  protocolMismatch: 4002,
  badHello: 4003,
  badMessage: 4004,
  goingAway: 1001,
} as const;

export interface LinkServerOptions {
  token: string;
  helloTimeoutMs: number;
  pingIntervalMs: number;
  maxPayloadBytes: number;
  registry: InstanceRegistry;
  schemas: SchemaRegistry;
  log: Logger;
  observeCommand?: CommandObserver;
}

/**
 * Accepts the addon's WebSocket connections, runs the hello handshake and
 * hands each authenticated socket to the instance registry.
 */
export class LinkServer {
  private readonly wss: WebSocketServer;
  private readonly pingTimer: NodeJS.Timeout;
  private readonly alive = new WeakMap<WebSocket, boolean>();

  constructor(private readonly options: LinkServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
    this.wss.on('connection', (socket, request) => this.onConnection(socket, request));
    this.pingTimer = setInterval(() => this.pingAll(), options.pingIntervalMs);
    this.pingTimer.unref();
  }

  /** Completes a WebSocket upgrade on the link path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
  }

  /** Closes every link with 1001 and stops accepting new ones. */
  async close(): Promise<void> {
    clearInterval(this.pingTimer);
    for (const socket of this.wss.clients)
      socket.close(closeCodes.goingAway, 'daemon shutting down');
    for (const instance of this.options.registry.list())
      instance.markClosed('daemon shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, request: IncomingMessage): void {
    const remote = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
    const log = this.options.log.child({ remote });
    log.info('godot link opened, waiting for hello');
    this.alive.set(socket, true);
    socket.on('pong', () => this.alive.set(socket, true));

    const helloTimer = setTimeout(() => {
      log.warn({ timeoutMs: this.options.helloTimeoutMs }, 'no hello from godot, closing');
      socket.close(closeCodes.helloTimeout, 'no hello within the deadline');
    }, this.options.helloTimeoutMs);

    socket.once('message', (data) => {
      clearTimeout(helloTimer);
      this.onHello(socket, data, log);
    });
    socket.on('close', () => clearTimeout(helloTimer));
    socket.on('error', (error) => log.warn({ err: error }, 'godot link error'));
  }

  private onHello(socket: WebSocket, data: RawData, log: Logger): void {
    const message = parseJson(data);
    const hello = this.options.schemas.validator('ws/hello');
    const isHello =
      isRecord(message) &&
      message.jsonrpc === '2.0' &&
      message.method === 'hello' &&
      'id' in message;
    if (!isHello) {
      return this.reject(
        socket,
        null,
        closeCodes.badHello,
        'the first message must be a hello request',
        log,
      );
    }
    const id = message.id as string | number;
    if (!hello(message.params)) {
      const problems = describeSchemaErrors(hello.errors).join('; ');
      return this.reject(socket, id, closeCodes.badHello, `invalid hello: ${problems}`, log);
    }
    const params = message.params as Record<string, unknown>;
    if (!tokensMatch(params.token as string, this.options.token)) {
      return this.reject(
        socket,
        id,
        closeCodes.badToken,
        'the pairing token is wrong; copy the output of `godot-bridge token` into the godot_bridge/token project setting',
        log,
      );
    }
    if (params.protocol_version !== protocolVersion) {
      const text =
        `addon ${params.addon_version} speaks protocol ${params.protocol_version}, daemon ${daemonVersion} ` +
        `speaks protocol ${protocolVersion}; update the ${Number(params.protocol_version) < protocolVersion ? 'addon' : 'daemon'} so both match`;
      return this.reject(socket, id, closeCodes.protocolMismatch, text, log);
    }
    this.accept(socket, id, params, log).catch((error: unknown) => {
      log.error({ err: error }, 'godot link could not be accepted');
      socket.close(closeCodes.badHello, 'internal error while accepting the link');
    });
  }

  private async accept(
    socket: WebSocket,
    helloId: string | number,
    params: Record<string, unknown>,
    log: Logger,
  ): Promise<void> {
    const registry = this.options.registry;
    const info = infoFromHello(params);
    await this.dropStaleTwin(registry.baseId(info), log);
    if (socket.readyState !== socket.OPEN) return;
    const instanceId = registry.allocateId(info);
    const instanceLog = this.options.log.child({ instance: instanceId });
    const instance = new GodotInstance(
      instanceId,
      info,
      socket,
      this.options.schemas,
      instanceLog,
      this.options.observeCommand,
    );

    socket.on('message', (data) => this.onMessage(instance, socket, data));
    socket.on('close', (code, reason) => {
      instanceLog.info({ code, reason: reason.toString() }, 'godot instance disconnected');
      instance.markClosed(`socket closed with code ${code}`);
    });
    socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: helloId,
        result: {
          instance_id: instanceId,
          daemon_version: daemonVersion,
          protocol_version: protocolVersion,
        },
      }),
    );
    registry.add(instance);
    log.info(
      {
        instance: instanceId,
        role: info.role,
        engine: info.engineVersion.string,
        project: info.projectName,
      },
      'godot instance connected',
    );
  }

  /**
   * Drops the instance with `id` when it returns no pong. A game that
   * reconnects after a network drop sends the same hello as its half-open old
   * link, so it gets its old id back rather than a `-2` suffix. Two live games
   * with one identity both return pongs and keep distinct ids.
   */
  private async dropStaleTwin(id: string, log: Logger): Promise<void> {
    const existing = this.options.registry.get(id);
    if (!existing) return;
    const alive = await existing.probe(staleProbeTimeoutMs);
    if (alive) return;
    log.warn({ instance: id }, 'replacing a godot link that no longer returns pongs');
    existing.terminate('replaced by a new connection with the same identity');
  }

  private onMessage(instance: GodotInstance, socket: WebSocket, data: RawData): void {
    const message = parseJson(data);
    // The keys select the one definition to check, which is cheaper than
    // trying every branch of the oneOf for each message.
    const kind = isRecord(message)
      ? 'method' in message
        ? 'request'
        : 'error' in message
          ? 'error'
          : 'result'
      : 'request';
    const envelope = this.options.schemas.validator(`ws/message#/$defs/${kind}`);
    if (!envelope(message)) {
      instance.log.warn(
        { problems: describeSchemaErrors(envelope.errors) },
        'invalid message from godot',
      );
      socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: { code: -32600, message: 'invalid JSON-RPC message' },
        }),
      );
      socket.close(closeCodes.badMessage, 'invalid JSON-RPC message');
      return;
    }
    const msg = message as Record<string, unknown>;
    if (typeof msg.method === 'string') {
      this.onNotification(instance, socket, msg);
    } else if (!instance.handleResponse(msg as Parameters<GodotInstance['handleResponse']>[0])) {
      instance.log.debug({ id: msg.id }, 'late or unknown reply from godot ignored');
    }
  }

  private onNotification(
    instance: GodotInstance,
    socket: WebSocket,
    msg: Record<string, unknown>,
  ): void {
    const method = msg.method as string;
    const ref = `ws/notifications#/$defs/${method}`;
    if ('id' in msg) {
      socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: msg.id,
          error: { code: -32601, message: `unknown method ${method}` },
        }),
      );
      return;
    }
    if (!this.options.schemas.has(ref)) {
      instance.log.debug({ method }, 'unknown notification from godot ignored');
      return;
    }
    const validate = this.options.schemas.validator(ref);
    if (!validate(msg.params)) {
      instance.log.warn(
        { method, problems: describeSchemaErrors(validate.errors) },
        'invalid notification from godot',
      );
      return;
    }
    instance.handleNotification(method, msg.params as Record<string, unknown>);
  }

  private reject(
    socket: WebSocket,
    id: string | number | null,
    code: number,
    text: string,
    log: Logger,
  ): void {
    log.warn({ closeCode: code, reason: text }, 'godot hello rejected');
    socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        error: { code: -32000 - (code - 4000), message: text },
      }),
    );
    // Close reasons are limited to 123 bytes by the WebSocket protocol.
    socket.close(code, Buffer.from(text).subarray(0, 123).toString());
  }

  private pingAll(): void {
    for (const socket of this.wss.clients) {
      if (this.alive.get(socket) === false) {
        this.options.log.warn('godot link missed a ping, dropping it');
        socket.terminate();
        continue;
      }
      this.alive.set(socket, false);
      socket.ping();
    }
  }
}

function infoFromHello(params: Record<string, unknown>): InstanceInfo {
  return {
    role: params.role as InstanceInfo['role'],
    name: (params.instance_name as string | undefined) ?? '',
    engineVersion: params.engine_version as InstanceInfo['engineVersion'],
    addonVersion: params.addon_version as string,
    projectName: params.project_name as string,
    platform: params.platform as string,
    xrActive: params.xr_active as boolean,
    currentScene: params.current_scene as string | null,
    frameTimeMs: (params.frame_time_ms as number | undefined) ?? null,
    fps: null,
  };
}

function parseJson(data: RawData): unknown {
  try {
    return JSON.parse(data.toString());
  } catch {
    return undefined;
  }
}
