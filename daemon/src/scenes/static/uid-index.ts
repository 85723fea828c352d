import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { resPathToDisk } from './project-paths.js';

const UID_PREFIX = 'uid://';
/** Godot's UID alphabet maps a-y to 0-24 and 0-9 to 25-34 in base 34 (core/io/resource_uid.cpp). */
const UID_BASE = 34n;
const UINT64_MASK = (1n << 64n) - 1n;
const INT63_MASK = (1n << 63n) - 1n;
const HEADER_BYTES = 2048;
const UID_ATTRIBUTE = /\buid="(uid:\/\/[a-z0-9]+)"/;

/** Converts `uid://…` text to Godot's numeric id, or undefined when it is not a valid UID. */
export function uidTextToId(text: string): bigint | undefined {
  if (!text.startsWith(UID_PREFIX) || text.length === UID_PREFIX.length) return undefined;
  let id = 0n;
  for (let i = UID_PREFIX.length; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let digit: number;
    if (c >= 97 && c <= 122) digit = c - 97;
    else if (c >= 48 && c <= 57) digit = c - 48 + 25;
    else return undefined;
    id = (id * UID_BASE + BigInt(digit)) & UINT64_MASK;
  }
  return id & INT63_MASK;
}

/**
 * Maps UIDs to `res://` paths for one project. Sources, later ones winning:
 * the editor's `.godot/uid_cache.bin`, then `*.uid` files next to scripts,
 * `uid=` in `*.import` files and the headers of `.tscn`/`.tres` files.
 */
export class UidIndex {
  private readonly paths = new Map<bigint, string>();

  constructor(readonly builtAt: number) {}

  get size(): number {
    return this.paths.size;
  }

  /** Returns the `res://` path of a UID, or undefined when the project does not know it. */
  lookup(uid: string): string | undefined {
    const id = uidTextToId(uid);
    return id === undefined ? undefined : this.paths.get(id);
  }

  add(uid: string, resPath: string): void {
    const id = uidTextToId(uid);
    if (id !== undefined) this.paths.set(id, resPath);
  }

  /** Builds the index from the editor cache and the project's files (`res://` paths). */
  static async build(projectDir: string, files: readonly string[]): Promise<UidIndex> {
    const index = new UidIndex(Date.now());
    await index.readEditorCache(join(projectDir, '.godot', 'uid_cache.bin'));
    for (const file of files) await index.readFileUid(projectDir, file);
    return index;
  }

  /** Reads uid_cache.bin: u32 count, then per entry i64 id, u32 length and UTF-8 path bytes. */
  private async readEditorCache(cachePath: string): Promise<void> {
    let data: Buffer;
    try {
      data = await readFile(cachePath);
    } catch {
      return;
    }
    if (data.length < 4) return;
    const count = data.readUInt32LE(0);
    let offset = 4;
    for (let i = 0; i < count && offset + 12 <= data.length; i++) {
      const id = data.readBigInt64LE(offset) & INT63_MASK;
      const length = data.readUInt32LE(offset + 8);
      offset += 12;
      if (offset + length > data.length) return;
      this.paths.set(id, data.toString('utf8', offset, offset + length));
      offset += length;
    }
  }

  private async readFileUid(projectDir: string, file: string): Promise<void> {
    if (file.endsWith('.uid')) {
      const text = await readHead(resPathToDisk(projectDir, file));
      this.add(text.trim(), file.slice(0, -'.uid'.length));
    } else if (file.endsWith('.import')) {
      const match = UID_ATTRIBUTE.exec(await readFile(resPathToDisk(projectDir, file), 'utf8'));
      if (match?.[1]) this.add(match[1], file.slice(0, -'.import'.length));
    } else if (file.endsWith('.tscn') || file.endsWith('.tres')) {
      const head = await readHead(resPathToDisk(projectDir, file));
      const firstLine = head.slice(0, head.indexOf(']') + 1);
      const match = UID_ATTRIBUTE.exec(firstLine);
      if (match?.[1]) this.add(match[1], file);
    }
  }
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}
