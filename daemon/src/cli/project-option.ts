import { existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import path from 'node:path';
import { ConfigError } from '../config/load-config.js';
import { packageRoot } from '../version.js';

/** The example project served when no --project is given. */
export const exampleProjectDir = path.join(packageRoot, 'examples', 'vr-demo');

/** Resolves --project to a folder holding project.godot, or the bundled example. */
export function resolveProjectDir(option: string | undefined): string {
  const dir = path.resolve(option ?? process.env.GODOT_BRIDGE_PROJECT ?? exampleProjectDir);
  if (!existsSync(path.join(dir, 'project.godot'))) {
    throw new ConfigError(
      `${dir} has no project.godot. Pass --project with the folder of a Godot 4 project.`,
    );
  }
  return dir;
}

/** Parses a --port value for commander, naming the bad value. */
export function portOption(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port number from 0 to 65535.`);
  }
  return port;
}
