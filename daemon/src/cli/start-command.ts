import type { Command } from 'commander';
import { loadConfig, type DeepPartial } from '../config/load-config.js';
import type { BridgeConfig } from '../config/defaults.js';
import { Daemon } from '../daemon.js';
import { createLogger } from '../logging/logger.js';
import { portOption, resolveProjectDir } from './project-option.js';

interface StartOptions {
  project?: string;
  host?: string;
  port?: number;
  logLevel?: string;
  pretty?: boolean;
}

/** `godot-bridge start`: serves the HTTP API and the addon's WebSocket. */
export function addStartCommand(program: Command): void {
  program
    .command('start')
    .description('Start the daemon for a Godot project (the bundled example when none is named).')
    .option('--project <dir>', 'folder of the Godot project (holds project.godot)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1)')
    .option('--port <number>', 'TCP port for HTTP and the addon link (default 8080)', portOption)
    .option('--log-level <level>', 'trace, debug, info, warn, error or silent')
    .option('--pretty', 'pretty log lines even when stdout is not a terminal')
    .option('--no-pretty', 'JSON log lines even on a terminal')
    .action(async (options: StartOptions) => {
      const projectDir = resolveProjectDir(options.project);
      const overrides: DeepPartial<BridgeConfig> = {};
      if (options.host) overrides.host = options.host;
      if (options.port !== undefined) overrides.port = options.port;
      if (options.logLevel) overrides.logLevel = options.logLevel;
      const config = loadConfig({ projectDir, env: process.env, overrides });
      const pretty = options.pretty ?? process.stdout.isTTY === true;
      const log = createLogger({ level: config.logLevel, pretty });
      const daemon = await Daemon.create({ config, log });
      await daemon.start();
      const stop = (signal: string) => {
        log.info({ signal }, 'signal received');
        daemon.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            log.error({ err: error }, 'daemon failed to stop cleanly');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
