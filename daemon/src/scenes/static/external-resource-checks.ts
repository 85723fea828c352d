import type { ExtResourceEntry, TextResourceFile } from '../parser/scene-types.js';
import type { InlineResourceReference } from '../parser/values.js';
import type { FindingList } from './findings.js';
import { resolveWrittenPath } from './project-paths.js';
import type { ValidationRun } from './validation-run.js';

const SCRIPT_TYPES = new Set(['Script', 'GDScript', 'CSharpScript']);
const SCRIPT_EXTENSIONS = ['.gd', '.cs'];

/** Where an external resource was found on disk: its `res://` path, or undefined when missing. */
export type ExternalTargets = Map<string, string | undefined>;

/**
 * Checks that every `[ext_resource]` and inline `Resource("…")` points at an
 * existing project file, resolving `uid=` first as the loader does. Returns
 * the resolved path of each ext_resource id.
 */
export async function checkExternalResources(
  file: TextResourceFile,
  fileResPath: string,
  run: ValidationRun,
  findings: FindingList,
): Promise<ExternalTargets> {
  const targets: ExternalTargets = new Map();
  for (const entry of file.extResources) {
    if (entry.path === undefined) continue;
    const target = await locateExtResource(entry, fileResPath, run, findings);
    if (!targets.has(entry.id)) targets.set(entry.id, target);
  }
  for (const reference of file.references) {
    if (reference.kind === 'resource')
      await checkInlineResource(reference, fileResPath, run, findings);
  }
  return targets;
}

async function locateExtResource(
  entry: ExtResourceEntry,
  fileResPath: string,
  run: ValidationRun,
  findings: FindingList,
): Promise<string | undefined> {
  if (entry.uid !== undefined) {
    const byUid = await run.resolveUid(entry.uid);
    if (byUid !== undefined && (await run.fileExists(byUid))) return byUid;
  }

  const written = entry.path ?? '';
  const byPath = await locatePath(written, fileResPath, run, findings, entry);
  if (byPath === undefined) {
    const code = isScript(entry) ? 'MISSING_SCRIPT' : 'MISSING_EXTERNAL_RESOURCE';
    const noun = isScript(entry) ? 'Script' : `${entry.type ?? 'Resource'}`;
    findings.add(code, `${noun} file not found: ${describeTarget(written, entry.uid)}`, entry);
    return undefined;
  }
  if (entry.uid !== undefined && (await run.resolveUid(entry.uid)) === undefined) {
    findings.add(
      'UNKNOWN_UID',
      `Unknown UID ${entry.uid} for "${written}": Godot warns and loads the path instead`,
      entry,
    );
  }
  return byPath;
}

/** Resolves a written path and returns it when the file exists; reports paths that cannot be checked. */
async function locatePath(
  written: string,
  fileResPath: string,
  run: ValidationRun,
  findings: FindingList,
  at: { line: number; column: number },
): Promise<string | undefined> {
  const resolved = resolveWrittenPath(fileResPath, written);
  switch (resolved.kind) {
    case 'outside':
      findings.add('PATH_OUTSIDE_PROJECT', resolved.reason, at);
      return written;
    case 'unsupported':
      findings.add('UNSUPPORTED_RESOURCE_PATH', `${resolved.reason}; it was not checked`, at);
      return written;
    case 'uid': {
      const path = await run.resolveUid(resolved.uid);
      return path !== undefined && (await run.fileExists(path)) ? path : undefined;
    }
    case 'res':
      return (await run.fileExists(resolved.resPath)) ? resolved.resPath : undefined;
  }
}

async function checkInlineResource(
  reference: InlineResourceReference,
  fileResPath: string,
  run: ValidationRun,
  findings: FindingList,
): Promise<void> {
  if (reference.uid !== undefined) {
    const byUid = await run.resolveUid(reference.uid);
    if (byUid !== undefined && (await run.fileExists(byUid))) return;
  }
  const written = reference.path ?? reference.uid ?? '';
  if (reference.path !== undefined) {
    const found = await locatePath(reference.path, fileResPath, run, findings, reference);
    if (found !== undefined) return;
  }
  findings.add(
    'MISSING_EXTERNAL_RESOURCE',
    `Resource("${written}") file not found: ${describeTarget(written, reference.uid)}`,
    reference,
  );
}

/** Checks that an `instance_placeholder` scene exists; the engine loads it only on demand. */
export async function checkPlaceholder(
  written: string,
  fileResPath: string,
  run: ValidationRun,
  findings: FindingList,
  at: { line: number; column: number },
): Promise<void> {
  const found = await locatePath(written, fileResPath, run, findings, at);
  if (found === undefined) {
    findings.add('MISSING_PLACEHOLDER_SCENE', `Placeholder scene not found: ${written}`, at);
  }
}

function isScript(entry: ExtResourceEntry): boolean {
  if (entry.type !== undefined && SCRIPT_TYPES.has(entry.type)) return true;
  return SCRIPT_EXTENSIONS.some((extension) => entry.path?.endsWith(extension));
}

function describeTarget(path: string, uid: string | undefined): string {
  return uid === undefined ? path : `${path} (uid ${uid})`;
}
