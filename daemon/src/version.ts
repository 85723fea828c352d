import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Root of the installed package, the folder that holds package.json. */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The daemon's version, read from package.json. */
export const daemonVersion: string = JSON.parse(
  readFileSync(path.join(packageRoot, 'package.json'), 'utf8'),
).version;

/** Version of the JSON-RPC protocol between the daemon and the addon. */
export const protocolVersion = 1;

// The sources run from daemon/src under ts-jest and from dist/daemon/src when
// built, so the root is found by walking up rather than by a fixed depth.
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'godot-bridge') return dir;
    } catch {
      // No readable package.json here: keep walking up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json of godot-bridge not found above ${start}`);
    dir = parent;
  }
}
