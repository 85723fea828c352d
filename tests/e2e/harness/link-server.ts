/**
 * The daemon's end of the addon link for end-to-end tests: a real `ws` WebSocketServer on
 * 127.0.0.1, port 0, path `/godot`, that replies to the hello as docs/protocol.md describes and
 * sends JSON-RPC requests to the connected addon.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const PROTOCOL_VERSION = 1;

export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: JsonRpcError;
}

export interface HelloRejection {
  /** Close code sent after the error reply (4001 wrong token, 4002 wrong protocol version). */
  closeCode: number;
  message: string;
}

export interface LinkServerOptions {
  /** Token the hello must carry; a hello with another token gets a 4001 rejection. */
  token: string;
  /** Rejects every hello with this error and close code, whatever the token. */
  rejectHello?: HelloRejection;
}

export interface LinkConnection {
  socket: WebSocket;
  hello: JsonRpcMessage;
  /** Milliseconds from the server start to the hello. */
  helloAtMs: number;
}

export interface LinkServer {
  port: number;
  /** Every message the addon sent, in arrival order, across connections. */
  received: JsonRpcMessage[];
  /** Resolves with the next connection whose hello arrives (accepted or rejected). */
  nextHello(timeoutMs?: number): Promise<LinkConnection>;
  /** Sends a request on the latest accepted connection and resolves with the response. */
  request(
    method: string,
    params?: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<JsonRpcMessage>;
  /** Resolves with the first notification (already received or later) that matches. */
  waitForNotification(
    method: string,
    matches?: (params: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<JsonRpcMessage>;
  /** Closes the latest connection with `code`, as a daemon restart would. */
  dropConnection(code?: number): void;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Starts the server; close it after the test. */
export async function startLinkServer(options: LinkServerOptions): Promise<LinkServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/godot' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const startedAt = Date.now();
  const received: JsonRpcMessage[] = [];
  const pendingHellos: LinkConnection[] = [];
  const listeners = new Set<() => void>();
  const responses = new Map<string, (message: JsonRpcMessage) => void>();
  let current: WebSocket | undefined;
  let nextId = 100;

  const notify = (): void => listeners.forEach((listener) => listener());

  server.on('connection', (socket) => {
    let greeted = false;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as JsonRpcMessage;
      received.push(message);
      if (!greeted) {
        greeted = true;
        answerHello(socket, message);
        pendingHellos.push({ socket, hello: message, helloAtMs: Date.now() - startedAt });
      } else if (message.id !== undefined && message.method === undefined) {
        responses.get(String(message.id))?.(message);
      }
      notify();
    });
  });

  const answerHello = (socket: WebSocket, hello: JsonRpcMessage): void => {
    const rejection =
      options.rejectHello ??
      (hello.params?.token === options.token
        ? undefined
        : { closeCode: 4001, message: 'The pairing token is missing or wrong.' });
    if (rejection) {
      const error = { code: -32001, message: rejection.message };
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: hello.id, error }));
      socket.close(rejection.closeCode, rejection.message);
      return;
    }
    current = socket;
    const result = { instance_id: 'game-e2e', daemon_version: '0.1.0', protocol_version: 1 };
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: hello.id, result }));
  };

  const waitUntil = <T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found === undefined) {
          return false;
        }
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      const listener = (): void => void check();
      listeners.add(listener);
      check();
    });

  return {
    port: (server.address() as AddressInfo).port,
    received,
    nextHello: (timeoutMs = DEFAULT_TIMEOUT_MS) =>
      waitUntil(() => pendingHellos.shift(), 'a hello', timeoutMs),
    request: (method, params = {}, timeoutMs = DEFAULT_TIMEOUT_MS) => {
      if (!current) {
        return Promise.reject(new Error(`No accepted connection to send ${method} on.`));
      }
      const id = nextId++;
      let response: JsonRpcMessage | undefined;
      responses.set(String(id), (message) => (response = message));
      current.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      return waitUntil(() => response, `the response to ${method}`, timeoutMs).finally(() =>
        responses.delete(String(id)),
      );
    },
    waitForNotification: (method, matches = () => true, timeoutMs = DEFAULT_TIMEOUT_MS) =>
      waitUntil(
        () =>
          received.find(
            (message) =>
              message.method === method &&
              message.id === undefined &&
              matches(message.params ?? {}),
          ),
        `a ${method} notification`,
        timeoutMs,
      ),
    dropConnection: (code = 1001) => {
      current?.close(code, 'daemon restarting');
      current = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.clients.forEach((client) => client.terminate());
        server.close(() => resolve());
      }),
  };
}
