import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { loadOrCreateToken } from '../security/token.js';
import { stateDirError } from '../startup-error.js';
import { resolveProjectDir } from './project-option.js';

/** `godot-bridge token`: prints the pairing token, creating it on first use. */
export function addTokenCommand(program: Command): void {
  program
    .command('token')
    .description('Print the pairing token that HTTP clients and the addon send.')
    .option('--project <dir>', 'folder of the Godot project (holds project.godot)')
    .action((options: { project?: string }) => {
      const projectDir = resolveProjectDir(options.project);
      const config = loadConfig({ projectDir, env: process.env });
      let token: string;
      try {
        token = loadOrCreateToken(config.stateDir).token;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).syscall) throw stateDirError(config.stateDir, error);
        throw error;
      }
      process.stdout.write(`${token}\n`);
    });
}
