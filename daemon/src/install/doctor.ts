import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { discoveryFileName } from '../daemon.js';
import { configValue, textOf, type ConfigFile } from '../scenes/parser/index.js';
import { tokenFileName } from '../security/token.js';
import {
  autoloadName,
  autoloadScriptPath,
  compareAddon,
  packagedAddonDir,
  pluginCfgPath,
  pluginVersion,
  projectAddonDir,
  sameFolder,
} from './addon-files.js';
import { ProjectFileError, parseGodot4Project } from './project-file.js';

/** `fail` makes doctor exit with status 1; `warn` is worth knowing but works. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  status: CheckStatus;
  /** The finding, in one sentence. */
  message: string;
  /** The fix for a `warn` or `fail`. */
  fix?: string;
}

export interface DoctorOptions {
  projectDir: string;
  /** The daemon's HTTP URL; read from the project's discovery file when absent. */
  url?: string;
  /** The pairing token; read from the project's token file when absent. */
  token?: string;
  /** Deadline of each HTTP request, in milliseconds. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Checks a Godot project and the daemon that serves it, and returns every
 * finding in order. Never throws for a problem it checks: each one becomes a
 * `fail` with its fix.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const projectDir = path.resolve(options.projectDir);
  const checks: DoctorCheck[] = [];
  const project = checkProject(projectDir, checks);

  let stateDir = path.join(projectDir, '.godot', 'godot_bridge');
  try {
    stateDir = loadConfig({ projectDir, env: options.env ?? process.env }).stateDir;
  } catch (error) {
    checks.push({
      status: 'fail',
      message: `The daemon settings of this project could not be read: ${(error as Error).message}`,
      fix: 'Fix godot-bridge.json in the project folder, or remove it to use the defaults.',
    });
  }

  const token = options.token ?? readToken(stateDir, checks);
  await checkDaemon(
    { ...options, projectDir, stateDir, token, projectName: project?.name },
    checks,
  );
  return checks;
}

/** Tells whether any check failed. */
export function doctorFailed(checks: DoctorCheck[]): boolean {
  return checks.some((check) => check.status === 'fail');
}

function checkProject(projectDir: string, checks: DoctorCheck[]): { name?: string } | undefined {
  const file = path.join(projectDir, 'project.godot');
  const installFix = `Run \`npx godot-bridge install-addon ${projectDir}\`.`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    checks.push({
      status: 'fail',
      message: `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      fix: 'Pass the folder of a Godot 4 project with --project DIR.',
    });
    return undefined;
  }
  checks.push({ status: 'ok', message: `${file} is readable.` });

  let config: ConfigFile;
  try {
    config = parseGodot4Project(text, file);
  } catch (error) {
    if (!(error instanceof ProjectFileError)) throw error;
    checks.push({ status: 'fail', message: error.message });
    return undefined;
  }
  checks.push({ status: 'ok', message: 'project.godot is a Godot 4 file (config_version=5).' });

  checkAddonFiles(projectDir, installFix, checks);

  const enabled = configValue(config, 'editor_plugins', 'enabled');
  const plugins = enabled?.kind === 'PackedStringArray' ? enabled.values : [];
  checks.push(
    plugins.includes(pluginCfgPath)
      ? { status: 'ok', message: 'The Godot Bridge plugin is enabled.' }
      : {
          status: 'fail',
          message: `The plugin is not enabled: [editor_plugins] enabled does not list ${pluginCfgPath}.`,
          fix: `${installFix} Or enable Godot Bridge in the editor under Project Settings, Plugins.`,
        },
  );

  const autoload = textOf(configValue(config, 'autoload', autoloadName));
  checks.push(
    autoload === `*${autoloadScriptPath}`
      ? { status: 'ok', message: `The ${autoloadName} autoload is present.` }
      : {
          status: 'fail',
          message:
            autoload === undefined
              ? `[autoload] has no ${autoloadName} entry, so a game started without the editor does not connect.`
              : `[autoload] ${autoloadName} is "${autoload}", not "*${autoloadScriptPath}".`,
          fix: installFix,
        },
  );
  return { name: textOf(configValue(config, 'application', 'config/name')) };
}

function checkAddonFiles(projectDir: string, installFix: string, checks: DoctorCheck[]): void {
  const addonDir = projectAddonDir(projectDir);
  const sourceDir = packagedAddonDir();
  if (!existsSync(path.join(addonDir, 'plugin.cfg'))) {
    checks.push({
      status: 'fail',
      message: `The addon is missing: ${addonDir} has no plugin.cfg.`,
      fix: installFix,
    });
    return;
  }
  if (sameFolder(addonDir, sourceDir)) {
    checks.push({ status: 'ok', message: `${addonDir} links to this package's addon.` });
    return;
  }
  const installed = pluginVersion(addonDir);
  const packaged = pluginVersion(sourceDir);
  if (installed !== packaged) {
    checks.push({
      status: 'fail',
      message: `The addon in the project is version ${installed ?? 'unknown'}, this package ships ${packaged ?? 'unknown'}.`,
      fix: installFix,
    });
    return;
  }
  const comparison = compareAddon(sourceDir, addonDir);
  if (comparison.missing.length > 0) {
    checks.push({
      status: 'fail',
      message: `The addon is incomplete: ${comparison.missing.join(', ')} missing.`,
      fix: installFix,
    });
  } else if (comparison.changed.length > 0) {
    checks.push({
      status: 'warn',
      message: `The addon is version ${installed} but ${comparison.changed.join(', ')} differ from this package's copy.`,
      fix: `Keep them if you changed them on purpose; otherwise ${installFix.toLowerCase()}`,
    });
  } else {
    checks.push({
      status: 'ok',
      message: `The addon files match this package (version ${installed}).`,
    });
  }
}

function readToken(stateDir: string, checks: DoctorCheck[]): string | undefined {
  const file = path.join(stateDir, tokenFileName);
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length > 0) {
      checks.push({ status: 'ok', message: `The token file ${file} is present.` });
      return token;
    }
    checks.push({
      status: 'fail',
      message: `The token file ${file} is empty.`,
      fix: tokenFix(file),
    });
  } catch (error) {
    checks.push({
      status: 'fail',
      message: `The token file ${file} is missing or unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      fix: tokenFix(file),
    });
  }
  return undefined;
}

function tokenFix(file: string): string {
  return `Start the daemon once (it creates ${file}), or run \`npx godot-bridge token --project DIR\`.`;
}

interface DaemonTarget extends DoctorOptions {
  stateDir: string;
  token: string | undefined;
  projectName: string | undefined;
}

async function checkDaemon(target: DaemonTarget, checks: DoctorCheck[]): Promise<void> {
  const startFix = `Start it with \`npx godot-bridge start --project ${target.projectDir}\`.`;
  let url = target.url;
  if (url === undefined) {
    url = readDiscoveryUrl(target.stateDir, startFix, checks);
    if (url === undefined) return;
  }
  url = url.replace(/\/+$/, '');
  const timeoutMs = target.timeoutMs ?? 3000;

  const health = await fetchJson(`${url}/health`, undefined, timeoutMs);
  if ('error' in health) {
    checks.push({
      status: 'fail',
      message: `The daemon at ${url} is not reachable: ${health.error}.`,
      fix: target.url === undefined ? `The discovery file is stale. ${startFix}` : startFix,
    });
    return;
  }
  if (health.status !== 200) {
    checks.push({
      status: 'fail',
      message: `${url}/health answered HTTP ${health.status}; that is not a godot-bridge daemon, or it rejects this Host.`,
      fix: 'Check the URL, and add the name you use to allowedHosts in godot-bridge.json.',
    });
    return;
  }
  checks.push({ status: 'ok', message: `The daemon at ${url} is running.` });

  if (target.token === undefined) return;
  const status = await fetchJson(`${url}/status`, target.token, timeoutMs);
  if ('error' in status || status.status !== 200) {
    const rejected = !('error' in status) && status.status === 401;
    checks.push({
      status: 'fail',
      message: rejected
        ? `The daemon at ${url} rejected the token (HTTP 401).`
        : `${url}/status failed: ${'error' in status ? status.error : `HTTP ${status.status}`}.`,
      fix: rejected
        ? 'The daemon uses another state folder or token: pass --token, or restart the daemon with this --project.'
        : startFix,
    });
    return;
  }
  checks.push({ status: 'ok', message: 'The daemon accepted the token.' });
  checkStatus(target, status.body as DaemonStatus, checks);
}

interface DaemonStatus {
  project?: { path?: string; name?: string | null };
  instances?: Array<{ id: string; role: string; project_name?: string; current_scene?: string }>;
}

function checkStatus(target: DaemonTarget, status: DaemonStatus, checks: DoctorCheck[]): void {
  const servedPath = status.project?.path;
  if (servedPath !== undefined && !sameFolder(servedPath, target.projectDir)) {
    checks.push({
      status: 'warn',
      message: `The daemon serves ${servedPath}, not ${target.projectDir}.`,
      fix: 'Scene paths resolve in the project the daemon serves; start it with --project for this one.',
    });
  }

  const instances = status.instances ?? [];
  if (instances.length === 0) {
    checks.push({
      status: 'warn',
      message: 'No Godot instance is connected.',
      fix: 'Open the project in the Godot editor or run the game; the addon connects on its own.',
    });
    return;
  }
  const list = instances.map((i) => `${i.id} (${i.role})`).join(', ');
  checks.push({ status: 'ok', message: `${instances.length} instance(s) connected: ${list}.` });
  if (target.projectName === undefined) return;
  const ours = instances.filter((i) => i.project_name === target.projectName);
  checks.push(
    ours.length > 0
      ? {
          status: 'ok',
          message: `${ours.map((i) => i.id).join(', ')} run(s) this project ("${target.projectName}").`,
        }
      : {
          status: 'warn',
          message: `No connected instance runs this project ("${target.projectName}").`,
          fix: 'Run this project in Godot, or check that the game has the addon and the right daemon URL.',
        },
  );
}

function readDiscoveryUrl(
  stateDir: string,
  startFix: string,
  checks: DoctorCheck[],
): string | undefined {
  const file = path.join(stateDir, discoveryFileName);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    checks.push({
      status: 'fail',
      message: `No daemon is running for this project (${file} is missing).`,
      fix: `${startFix} For a daemon elsewhere pass --url http://HOST:PORT.`,
    });
    return undefined;
  }
  let url: unknown;
  try {
    url = (JSON.parse(text) as { http_url?: unknown }).http_url;
  } catch {
    url = undefined;
  }
  if (typeof url !== 'string') {
    checks.push({
      status: 'fail',
      message: `${file} has no "http_url" string.`,
      fix: `Delete the file and restart the daemon. ${startFix}`,
    });
    return undefined;
  }
  checks.push({ status: 'ok', message: `The discovery file names the daemon at ${url}.` });
  return url;
}

type FetchResult = { status: number; body: unknown } | { error: string };

async function fetchJson(
  url: string,
  token: string | undefined,
  timeoutMs: number,
): Promise<FetchResult> {
  try {
    const response = await fetch(url, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if ((error as Error).name === 'TimeoutError')
      return { error: `no answer within ${timeoutMs} ms` };
    return { error: cause ?? (error as Error).message };
  }
}
