/**
 * Runs the @gdscript-analyzer/core static checker over every GDScript file of the addon and
 * the example project and exits with status 1 when it reports an error.
 * Usage: `npm run check:gdscript [-- folder ...]`.
 */
import { AnalysisHandle } from '@gdscript-analyzer/core';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_FOLDERS = ['godot-addon', 'examples/vr-demo'];

/** Lists .gd files below `dir`, skipping dot folders and symlinks (the example links the addon). */
function listScripts(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('.')) {
      continue;
    }
    if (entry.isDirectory()) {
      found.push(...listScripts(full));
    } else if (entry.isFile() && entry.name.endsWith('.gd')) {
      found.push(full);
    }
  }
  return found.sort();
}

/**
 * Returns the `res://` path of `file`: relative to the nearest folder above it that holds
 * project.godot, or to the addon root, which a project places at res://addons/.
 */
function resPathOf(file: string): string {
  const addonsRoot = path.join(ROOT, 'godot-addon');
  let dir = path.dirname(file);
  while (dir.startsWith(ROOT) && dir !== ROOT) {
    const hasProject = readdirSync(dir).includes('project.godot');
    if (hasProject || dir === addonsRoot) {
      return `res://${path.relative(dir, file).split(path.sep).join('/')}`;
    }
    dir = path.dirname(dir);
  }
  return `res://${path.basename(file)}`;
}

/** Converts a UTF-8 byte offset into a 1-based line and column. */
function lineAndColumn(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1) ?? '').length + 1 };
}

interface Diagnostic {
  severity: string;
  code: string;
  message: string;
  /** UTF-8 byte offsets into the file. */
  range: { start: number; end: number };
}

const folders = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_FOLDERS;
const analyzer = new AnalysisHandle();
const scripts = folders.flatMap((folder) => listScripts(path.resolve(ROOT, folder)));
for (const file of scripts) {
  analyzer.openDocument(pathToFileURL(file).href, readFileSync(file, 'utf8'), resPathOf(file));
}
// Every script of the checked folders is open, so a name defined nowhere is an error.
analyzer.setWorkspaceComplete(true);

let errors = 0;
let warnings = 0;
for (const file of scripts) {
  const bytes = readFileSync(file);
  for (const diagnostic of analyzer.diagnostics(pathToFileURL(file).href) as Diagnostic[]) {
    const { line, column } = lineAndColumn(bytes, diagnostic.range.start);
    const where = `${path.relative(ROOT, file)}:${line}:${column}`;
    console.log(`${where}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`);
    if (diagnostic.severity === 'error') {
      errors += 1;
    } else {
      warnings += 1;
    }
  }
}

console.log(`check-gdscript: ${scripts.length} scripts, ${errors} errors, ${warnings} warnings`);
if (scripts.length === 0) {
  console.error(`check-gdscript: no .gd files found in ${folders.join(', ')}; check the folders.`);
  process.exitCode = 1;
} else if (errors > 0) {
  process.exitCode = 1;
}
