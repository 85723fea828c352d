import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { Logger } from 'pino';

import { listProjectFiles } from './project-files.js';
import { resPathToDisk } from './project-paths.js';
import type { SceneCache } from './scene-cache.js';
import { UidIndex } from './uid-index.js';

/**
 * Shared state of one validation call: the project, the cache, which files
 * exist, and the UID index. The index is refreshed at most once per run,
 * when a UID is missing from it or points at a file that no longer exists.
 */
export class ValidationRun {
  readonly projectDir: string;
  private readonly existence = new Map<string, Promise<boolean>>();
  private uidRefreshed = false;

  constructor(
    projectDir: string,
    readonly cache: SceneCache,
    readonly maxDepth: number | undefined,
    readonly logger: Logger | undefined,
  ) {
    this.projectDir = resolve(projectDir);
  }

  /** Tells whether a `res://` path names an existing file inside the project. */
  fileExists(resPath: string): Promise<boolean> {
    let known = this.existence.get(resPath);
    if (!known) {
      known = isFile(this.projectDir, resPath);
      this.existence.set(resPath, known);
    }
    return known;
  }

  /** Returns the `res://` path a UID stands for, or undefined when the project does not know it. */
  async resolveUid(uid: string): Promise<string | undefined> {
    let index = this.cache.getUidIndex(this.projectDir) ?? (await this.rebuildUidIndex());
    let path = index.lookup(uid);
    const usable = path !== undefined && (await this.fileExists(path));
    if (!usable && !this.uidRefreshed) {
      index = await this.rebuildUidIndex();
      path = index.lookup(uid);
    }
    return path;
  }

  private async rebuildUidIndex(): Promise<UidIndex> {
    this.uidRefreshed = true;
    const files = await listProjectFiles(this.projectDir);
    const index = await UidIndex.build(this.projectDir, files);
    this.cache.setUidIndex(this.projectDir, index);
    this.logger?.debug({ projectDir: this.projectDir, uids: index.size }, 'uid index built');
    return index;
  }
}

async function isFile(projectDir: string, resPath: string): Promise<boolean> {
  try {
    const info = await stat(resPathToDisk(projectDir, resPath));
    return info.isFile();
  } catch {
    return false;
  }
}
