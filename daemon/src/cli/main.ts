#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError } from '../config/load-config.js';
import { StartupError } from '../startup-error.js';
import { daemonVersion } from '../version.js';
import { addDoctorCommand } from './doctor-command.js';
import { addInstallAddonCommand } from './install-addon-command.js';
import { addStartCommand } from './start-command.js';
import { addTokenCommand } from './token-command.js';
import { addValidateCommand } from './validate-command.js';

const program = new Command()
  .name('godot-bridge')
  .description('Drive live Godot 4 instances over HTTP.')
  .version(daemonVersion);

addStartCommand(program);
addTokenCommand(program);
addValidateCommand(program);
addInstallAddonCommand(program);
addDoctorCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`godot-bridge: ${error.message}\n`);
  } else if (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  ) {
    // A file system error names the path and the reason, and its stack adds nothing for the user.
    process.stderr.write(`godot-bridge: ${error.message}\n`);
  } else {
    process.stderr.write(`godot-bridge: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exitCode = 1;
});
