/**
 * Runs the Godot 4.6 web export template in Debian's headless Chromium: one browser per test
 * file, one page (one engine) per test.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureGodotEngine } from './engine.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium quiet and offline; the engine runs without a GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--mute-audio',
];

/** Launches headless Chromium; close it in `afterAll`. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing; install it with .ci/install-system.sh (as root).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface GodotLogLine {
  /** `print` for Godot's print output, `error` for printerr and engine errors. */
  stream: 'print' | 'error';
  text: string;
}

export interface OpenGodotOptions {
  /** PCK bytes, for example from `buildProjectPack`. */
  pack: Buffer;
  /** Port on 127.0.0.1 passed with `--bridge-port`; omit it to test discovery or settings. */
  port?: number;
  /** Pairing token passed with `--bridge-token`; omitted when not given. */
  token?: string;
  /** More user arguments, placed after `--`. */
  userArgs?: string[];
  /** Engine arguments before `--`; defaults to `['--headless']` (no WebGL, dummy audio). */
  engineArgs?: string[];
}

export interface GodotSession {
  page: Page;
  /** Godot's print and printerr output, in arrival order. */
  logs: GodotLogLine[];
  /** URL of the page on the loopback server that serves the page, pack and engine. */
  url: string;
  /** Closes the page; the HTTP server stops when the browser closes. */
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.pck': 'application/octet-stream',
};

/** Loopback server of one browser: the engine files, plus one page and pack per session. */
interface SiteServer {
  server: Server;
  origin: string;
  sessions: Map<string, { page: string; pack: Buffer }>;
}

const siteServers = new WeakMap<Browser, Promise<SiteServer>>();
let sessionCounter = 0;

/**
 * Starts a Godot engine in a new page of `browser`, running `options.pack`.
 *
 * All pages of one browser load the engine from the same origin with cacheable responses, so
 * Chromium compiles the 37 MB WebAssembly module once per browser rather than once per page.
 */
export async function openGodot(
  browser: Browser,
  options: OpenGodotOptions,
): Promise<GodotSession> {
  const site = await getSiteServer(browser);
  const args = [
    ...(options.engineArgs ?? ['--headless']),
    '--',
    ...(options.port === undefined ? [] : [`--bridge-port=${options.port}`]),
    ...(options.token === undefined ? [] : [`--bridge-token=${options.token}`]),
    ...(options.userArgs ?? []),
  ];
  sessionCounter += 1;
  const sessionId = `s${sessionCounter}`;
  site.sessions.set(sessionId, { page: renderPage(args, sessionId), pack: options.pack });
  const url = `${site.origin}/${sessionId}/`;

  const logs: GodotLogLine[] = [];
  const page = await browser.newPage();
  page.on('console', (message) => {
    const type = message.type();
    if (type === 'log' || type === 'error') {
      logs.push({ stream: type === 'log' ? 'print' : 'error', text: message.text() });
    }
  });
  page.on('pageerror', (error) => logs.push({ stream: 'error', text: String(error) }));

  const close = async (): Promise<void> => {
    await page.close().catch(() => undefined);
    site.sessions.delete(sessionId);
  };
  try {
    await page.goto(url);
  } catch (error) {
    await close();
    throw error;
  }
  return { page, logs, url, close };
}

function renderPage(args: string[], sessionId: string): string {
  const config = { executable: '/engine/index', mainPack: `/${sessionId}/game.pck`, args };
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>godot-bridge e2e</title></head>
<body><canvas id="canvas" width="320" height="240"></canvas>
<script src="/engine/index.js"></script>
<script>
  const engine = new Engine(Object.assign(${JSON.stringify(config)}, {
    canvas: document.getElementById('canvas'),
    onPrint: (...parts) => console.log(parts.join(' ')),
    onPrintError: (...parts) => console.error(parts.join(' ')),
  }));
  engine.startGame().catch((error) => console.error('startGame failed: ' + error));
</script></body></html>`;
}

function getSiteServer(browser: Browser): Promise<SiteServer> {
  let site = siteServers.get(browser);
  if (!site) {
    site = startSiteServer();
    siteServers.set(browser, site);
    browser.on('disconnected', () => {
      void site?.then(({ server }) => server.close());
    });
  }
  return site;
}

async function startSiteServer(): Promise<SiteServer> {
  const engineDir = await ensureGodotEngine();
  const sessions = new Map<string, { page: string; pack: Buffer }>();
  const server = createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    void respond(name, engineDir, sessions)
      .then(({ status, type, body, cacheable }) => {
        response.writeHead(status, {
          'Content-Type': type,
          'Cache-Control': cacheable ? 'public, max-age=3600' : 'no-store',
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        });
        response.end(body);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end(String(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin, sessions };
}

interface SiteResponse {
  status: number;
  type: string;
  body: Buffer | string;
  cacheable?: boolean;
}

async function respond(
  name: string,
  engineDir: string,
  sessions: Map<string, { page: string; pack: Buffer }>,
): Promise<SiteResponse> {
  const notFound = { status: 404, type: 'text/plain', body: `${name} not found` };
  const [, folder = '', file = '', ...rest] = name.split('/');
  if (rest.length > 0) {
    return notFound;
  }
  if (folder === 'engine') {
    const filePath = path.join(engineDir, file);
    if (!file.startsWith('index.') || !existsSync(filePath)) {
      return notFound;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    return { status: 200, type, body: await readFile(filePath), cacheable: true };
  }

  const session = sessions.get(folder);
  if (session && file === '') {
    return { status: 200, type: CONTENT_TYPES['.html'] ?? '', body: session.page };
  }
  if (session && file === 'game.pck') {
    return { status: 200, type: CONTENT_TYPES['.pck'] ?? '', body: session.pack };
  }
  if (name === '/favicon.ico') {
    return { status: 204, type: 'image/x-icon', body: '' };
  }
  return notFound;
}
