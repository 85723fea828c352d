import { readFile, stat } from 'node:fs/promises';

import { ParseError } from '../parser/parse-error.js';
import type { TextResourceFile } from '../parser/scene-types.js';
import { parseTextResource } from '../parser/text-resource.js';
import type { UidIndex } from './uid-index.js';

/** Error for a path that names a folder, FIFO, socket or device instead of a regular file. */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
}

/** A file's parse outcome: the parsed file, or the error that stopped the parser. */
export type ParseOutcome = { file: TextResourceFile } | { error: ParseError };

interface Entry {
  size: number;
  mtimeMs: number;
  maxDepth: number | undefined;
  outcome: ParseOutcome;
}

export interface SceneCacheOptions {
  /** Maximum number of parsed files kept; the least recently used go first. Default 20,000. */
  maxEntries?: number;
}

/**
 * Parsed scenes and resources keyed by absolute path, reused while the file's
 * size and modification time stay the same, plus one UID index per project.
 * Pass one instance to repeated validations so unchanged files are not re-read.
 */
export class SceneCache {
  private readonly entries = new Map<string, Entry>();
  private readonly uidIndexes = new Map<string, UidIndex>();
  private readonly maxEntries: number;
  hits = 0;
  misses = 0;

  constructor(options: SceneCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 20_000;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Returns the parse outcome for a file, reading and parsing it only when it changed. Throws on I/O errors. */
  async load(absolutePath: string, maxDepth?: number): Promise<ParseOutcome> {
    const info = await stat(absolutePath);
    // Reading a FIFO or a device such as /dev/zero would block or never end.
    if (!info.isFile()) {
      throw new NotRegularFileError(`${absolutePath} is not a regular file, so it was not read`);
    }
    const cached = this.entries.get(absolutePath);
    if (
      cached &&
      cached.size === info.size &&
      cached.mtimeMs === info.mtimeMs &&
      cached.maxDepth === maxDepth
    ) {
      this.hits++;
      this.entries.delete(absolutePath);
      this.entries.set(absolutePath, cached);
      return cached.outcome;
    }

    this.misses++;
    const text = await readFile(absolutePath, 'utf8');
    const outcome = parseOutcome(text, maxDepth);
    this.store(absolutePath, { size: info.size, mtimeMs: info.mtimeMs, maxDepth, outcome });
    return outcome;
  }

  getUidIndex(projectDir: string): UidIndex | undefined {
    return this.uidIndexes.get(projectDir);
  }

  setUidIndex(projectDir: string, index: UidIndex): void {
    this.uidIndexes.set(projectDir, index);
  }

  clear(): void {
    this.entries.clear();
    this.uidIndexes.clear();
  }

  private store(path: string, entry: Entry): void {
    this.entries.delete(path);
    this.entries.set(path, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

function parseOutcome(text: string, maxDepth: number | undefined): ParseOutcome {
  try {
    return { file: parseTextResource(text, { maxDepth }) };
  } catch (error) {
    if (error instanceof ParseError) return { error };
    throw error;
  }
}
