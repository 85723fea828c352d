import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { defaultConfig, type BridgeConfig } from './defaults.js';
import { configSchema } from './schema.js';

/** Name of the optional configuration file in the project folder. */
export const configFileName = 'godot-bridge.json';

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Builds the configuration from defaults, the project's godot-bridge.json,
 * environment variables and flags, each overriding the one before. The result
 * is validated and frozen.
 */
export function loadConfig(options: {
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  overrides?: DeepPartial<BridgeConfig>;
}): Readonly<BridgeConfig> {
  const projectDir = path.resolve(options.projectDir);
  let config: BridgeConfig = defaultConfig(projectDir);
  config = merge(config, readConfigFile(projectDir));
  config = merge(config, fromEnvironment(options.env ?? {}));
  config = merge(config, options.overrides ?? {});
  config.projectDir = projectDir;
  config.stateDir = path.resolve(projectDir, config.stateDir);
  validateConfig(config);
  return deepFreeze(config);
}

function readConfigFile(projectDir: string): DeepPartial<BridgeConfig> {
  const file = path.join(projectDir, configFileName);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function fromEnvironment(env: NodeJS.ProcessEnv): DeepPartial<BridgeConfig> {
  const result: DeepPartial<BridgeConfig> = {};
  if (env.GODOT_BRIDGE_HOST) result.host = env.GODOT_BRIDGE_HOST;
  if (env.GODOT_BRIDGE_PORT) result.port = parsePort(env.GODOT_BRIDGE_PORT, 'GODOT_BRIDGE_PORT');
  if (env.GODOT_BRIDGE_STATE_DIR) result.stateDir = env.GODOT_BRIDGE_STATE_DIR;
  if (env.GODOT_BRIDGE_LOG_LEVEL) result.logLevel = env.GODOT_BRIDGE_LOG_LEVEL;
  return result;
}

/** Parses a TCP port from a flag or variable, naming the source when it is invalid. */
export function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${source} must be a port number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function merge<T>(base: T, patch: DeepPartial<T> | undefined): T {
  if (patch === undefined || patch === null) return base;
  const result = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === undefined) continue;
    const current = result[key];
    const bothObjects =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof current === 'object' &&
      current !== null &&
      !Array.isArray(current);
    result[key] = bothObjects ? merge(current, value as DeepPartial<typeof current>) : value;
  }
  return result as T;
}

const validate = new Ajv({ allErrors: true, verbose: true }).compile(configSchema);

function validateConfig(config: BridgeConfig): void {
  if (validate(config)) return;
  const errors = validate.errors ?? [];
  const problems = errors.map(describeProblem).join('; ');
  const hint = errors.some((error) => error.keyword === 'additionalProperties')
    ? '. daemon/src/config/defaults.ts lists every setting'
    : '';
  throw new ConfigError(`invalid configuration: ${problems}${hint}`);
}

/** Words one schema error with the setting's dotted name, the allowed values and the value given. */
function describeProblem(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    const parent = error.instancePath.slice(1).replaceAll('/', '.');
    const name = (error.params as { additionalProperty: string }).additionalProperty;
    return `unknown setting "${parent ? `${parent}.` : ''}${name}"`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    const values = allowed.map((value) => JSON.stringify(value)).join(', ');
    return `${error.instancePath} must be one of ${values}, got ${JSON.stringify(error.data)}`;
  }
  return `${error.instancePath || '(root)'} ${error.message}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
