import { realpath } from 'node:fs/promises';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';

const RES_PREFIX = 'res://';

/** A written resource path after resolution: a project path, a UID, or a reason it cannot be checked. */
export type ResolvedPath =
  | { kind: 'res'; resPath: string }
  | { kind: 'uid'; uid: string }
  | { kind: 'outside'; reason: string }
  | { kind: 'unsupported'; reason: string };

/** Error for a `res://` path that cannot be mapped into the project folder. */
export class ResourcePathError extends Error {
  override readonly name = 'ResourcePathError';
}

/**
 * Maps a normalized `res://` path to a file path under `projectDir`. The
 * mapping is lexical (symlinks are not followed) and rejects any path that
 * leaves the project folder after `..` segments are resolved.
 */
export function resPathToDisk(projectDir: string, resPath: string): string {
  if (!resPath.startsWith(RES_PREFIX)) {
    throw new ResourcePathError(`Expected a res:// path, got '${resPath}'`);
  }
  const rest = resPath.slice(RES_PREFIX.length);
  if (rest.includes('\\') || rest.includes('\0')) {
    throw new ResourcePathError(`Invalid character in '${resPath}': use forward slashes`);
  }
  const root = resolve(projectDir);
  const disk = resolve(root, rest);
  const inside = relative(root, disk);
  if (inside === '..' || inside.startsWith(`..${sep}`) || resolve(root, inside) !== disk) {
    throw new ResourcePathError(`'${resPath}' resolves outside the project folder`);
  }
  return disk;
}

/**
 * Resolves the symbolic links of a path from `resPathToDisk` and returns the
 * real path. Raises ResourcePathError when a link leads outside the project's
 * real folder, so that no file outside the project is read through it.
 */
export async function realPathInProject(projectDir: string, disk: string): Promise<string> {
  const [root, real] = await Promise.all([realpath(projectDir), realpath(disk)]);
  const inside = relative(root, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new ResourcePathError(
      `'${diskToResPath(projectDir, disk)}' resolves through a symbolic link to '${real}', ` +
        'outside the project folder, so it was not read. Copy the file into the project instead',
    );
  }
  return real;
}

/** Returns the `res://` path of a file under `projectDir`. */
export function diskToResPath(projectDir: string, disk: string): string {
  const inside = relative(resolve(projectDir), resolve(disk)).split(sep).join('/');
  return RES_PREFIX + inside;
}

/**
 * Resolves a path written in a file (`res://…`, `uid://…` or relative to that
 * file's folder, as the engine's loader resolves `ext_resource` paths).
 */
export function resolveWrittenPath(fromResPath: string, written: string): ResolvedPath {
  if (written.startsWith('uid://')) return { kind: 'uid', uid: written };
  if (written.startsWith(RES_PREFIX))
    return normalizedRes(written.slice(RES_PREFIX.length), written);
  if (written.includes('://')) {
    return { kind: 'unsupported', reason: `'${written}' is not a project path` };
  }
  if (written.startsWith('/') || /^[A-Za-z]:[\\/]/.test(written)) {
    return { kind: 'outside', reason: `'${written}' is an absolute file system path` };
  }
  const folder = posix.dirname(fromResPath.slice(RES_PREFIX.length));
  return normalizedRes(posix.join(folder, written), written);
}

function normalizedRes(rest: string, written: string): ResolvedPath {
  const normal = posix.normalize(rest === '' ? '.' : rest);
  if (normal === '..' || normal.startsWith('../') || normal.startsWith('/')) {
    return { kind: 'outside', reason: `'${written}' resolves outside the project folder` };
  }
  return { kind: 'res', resPath: RES_PREFIX + (normal === '.' ? '' : normal) };
}
