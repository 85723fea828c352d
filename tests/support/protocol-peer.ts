import WebSocket from 'ws';

/** A JSON-RPC error the peer returns for a command, as the addon would. */
export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export type CommandHandler = (params: Record<string, unknown>) => unknown | Promise<unknown>;

export interface PeerHello {
  token: string;
  protocol_version?: number;
  role?: 'editor' | 'game';
  instance_name?: string;
  project_name?: string;
  current_scene?: string | null;
  xr_active?: boolean;
}

/**
 * A real WebSocket client that speaks the addon's side of the link protocol,
 * with command handlers a test sets. It replies the way the GDScript addon
 * does, so the daemon is exercised over a real socket on loopback.
 */
export class ProtocolPeer {
  readonly received: Array<{ method: string; params: Record<string, unknown> }> = [];
  readonly handlers = new Map<string, CommandHandler>();
  instanceId = '';
  currentScene: string | null;

  private constructor(
    readonly socket: WebSocket,
    hello: PeerHello,
  ) {
    this.currentScene = hello.current_scene ?? null;
    this.installDefaultHandlers();
    socket.on('message', (data) => void this.onMessage(data.toString()));
  }

  /** Connects, sends the hello and resolves once the daemon accepted it. */
  static async connect(wsUrl: string, hello: PeerHello): Promise<ProtocolPeer> {
    const socket = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    // Requests can follow the hello reply in the same read, before the peer
    // below exists, so every message after the reply is kept until then.
    const early: string[] = [];
    let replied = false;
    const keep = (data: WebSocket.RawData) => {
      if (replied) early.push(data.toString());
      replied = true;
    };
    socket.on('message', keep);
    const reply = await ProtocolPeer.sendHello(socket, hello);
    socket.off('message', keep);
    if ('error' in reply) {
      socket.close();
      throw new Error(`hello rejected: ${JSON.stringify(reply.error)}`);
    }
    const peer = new ProtocolPeer(socket, hello);
    peer.instanceId = (reply.result as { instance_id: string }).instance_id;
    for (const text of early) void peer.onMessage(text);
    return peer;
  }

  /** Sends a hello on an open socket and returns the daemon's reply message. */
  static sendHello(socket: WebSocket, hello: PeerHello): Promise<Record<string, unknown>> {
    const params = {
      protocol_version: 1,
      addon_version: '0.1.0',
      engine_version: { major: 4, minor: 6, patch: 0, status: 'stable', string: '4.6.stable.test' },
      project_name: 'Test Project',
      role: 'game',
      instance_name: '',
      platform: 'Linux',
      xr_active: false,
      current_scene: null,
      frame_time_ms: 16.7,
      ...hello,
    };
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString())));
      socket.once('close', (code) =>
        reject(new Error(`closed with ${code} before the hello reply`)),
      );
    });
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 'hello-1', method: 'hello', params }));
    return reply;
  }

  /** Sets the handler of one method, replacing the default. */
  on(method: string, handler: CommandHandler): this {
    this.handlers.set(method, handler);
    return this;
  }

  notify(method: string, params: Record<string, unknown>): void {
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close();
    await closed;
  }

  /** Drops the TCP connection without a close handshake, as a crashed game does. */
  terminate(): void {
    this.socket.terminate();
  }

  sceneInfo(path: string | null = this.currentScene): Record<string, unknown> {
    return {
      path,
      root_name: path
        ? path
            .split('/')
            .pop()!
            .replace(/\.t?scn$/, '')
        : null,
      root_type: path ? 'Node3D' : null,
      node_count: path ? 3 : 0,
    };
  }

  private installDefaultHandlers(): void {
    this.on('scene.info', () => this.sceneInfo());
    this.on('scene.load', (params) => {
      this.currentScene = params.scene_path as string;
      return { scene: this.sceneInfo(), load_ms: 1, engine_messages: [] };
    });
    this.on('scene.reload', () => {
      if (!this.currentScene) throw new RpcFailure(-32012, 'no current scene to reload');
      return { scene: this.sceneInfo(), load_ms: 1, engine_messages: [] };
    });
    this.on('scene.validate', () => ({
      valid: true,
      errors: [],
      warnings: [],
      node_count: 3,
      duration_ms: 1,
    }));
    this.on('scene.preload', (params) => ({
      scene_path: params.scene_path,
      load_ms: 1,
      cached: true,
    }));
  }

  async onMessage(text: string): Promise<void> {
    const message = JSON.parse(text) as {
      id?: string;
      method?: string;
      params?: Record<string, unknown>;
    };
    if (!message.method || message.id === undefined) return;
    const params = message.params ?? {};
    this.received.push({ method: message.method, params });
    const handler = this.handlers.get(message.method);
    try {
      if (!handler) throw new RpcFailure(-32601, `unknown method ${message.method}`);
      const result = await handler(params);
      if (result === NO_REPLY) return;
      this.send({ jsonrpc: '2.0', id: message.id, result });
    } catch (error) {
      const failure = error instanceof RpcFailure ? error : new RpcFailure(-32000, String(error));
      this.send({
        jsonrpc: '2.0',
        id: message.id,
        error: {
          code: failure.code,
          message: failure.message,
          ...(failure.data ? { data: failure.data } : {}),
        },
      });
    }
  }

  private send(message: unknown): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

/** Returned by a handler that never replies, to test deadlines. */
export const NO_REPLY = Symbol('no reply');
