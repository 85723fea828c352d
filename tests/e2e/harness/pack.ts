/**
 * Writes Godot PCK files (pack format version 3, as Godot 4.6 reads them) from a project
 * folder, so the web export template can run text scenes and scripts without an export step.
 *
 * Godot's own PCK writer needs the editor, which cannot run here. The format is a fixed header,
 * the file data and a directory, so a small writer is simpler than any dependency.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export const PCK_MAGIC = 0x43504447; // "GDPC"
export const PCK_FORMAT_VERSION = 3;
/** Pack flag: file offsets are relative to the file base, which is relative to the pack start. */
export const PCK_FLAG_REL_FILEBASE = 2;
/** Size of the header; the file data starts here. */
export const PCK_HEADER_SIZE = 0x70;
/** Each file's data starts on a multiple of this many bytes. */
export const PCK_FILE_ALIGNMENT = 16;

export interface EngineVersion {
  major: number;
  minor: number;
  patch: number;
}

/** Godot 4.6.0; the engine refuses packs that name a newer version than its own. */
export const GODOT_4_6: EngineVersion = { major: 4, minor: 6, patch: 0 };

export interface PackEntry {
  /** Path inside the pack, relative to `res://`, with forward slashes (`scenes/main.tscn`). */
  path: string;
  data: Buffer;
}

/** Returns the bytes of a PCK that contains `entries`, in the order given. */
export function writePck(
  entries: readonly PackEntry[],
  version: EngineVersion = GODOT_4_6,
): Buffer {
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  let dataSize = 0;
  for (const entry of entries) {
    offsets.push(dataSize);
    const padded = padTo(entry.data, PCK_FILE_ALIGNMENT);
    chunks.push(padded);
    dataSize += padded.length;
  }

  const header = Buffer.alloc(PCK_HEADER_SIZE);
  header.writeUInt32LE(PCK_MAGIC, 0x00);
  header.writeUInt32LE(PCK_FORMAT_VERSION, 0x04);
  header.writeUInt32LE(version.major, 0x08);
  header.writeUInt32LE(version.minor, 0x0c);
  header.writeUInt32LE(version.patch, 0x10);
  header.writeUInt32LE(PCK_FLAG_REL_FILEBASE, 0x14);
  header.writeBigUInt64LE(BigInt(PCK_HEADER_SIZE), 0x18);
  header.writeBigUInt64LE(BigInt(PCK_HEADER_SIZE + dataSize), 0x20);

  return Buffer.concat([header, ...chunks, writeDirectory(entries, offsets)]);
}

function writeDirectory(entries: readonly PackEntry[], offsets: readonly number[]): Buffer {
  const parts: Buffer[] = [u32(entries.length)];
  entries.forEach((entry, index) => {
    const name = padTo(Buffer.from(toPackPath(entry.path), 'utf8'), 4);
    const record = Buffer.alloc(8 + 8 + 16 + 4);
    record.writeBigUInt64LE(BigInt(offsets[index] ?? 0), 0);
    record.writeBigUInt64LE(BigInt(entry.data.length), 8);
    createHash('md5').update(entry.data).digest().copy(record, 16);
    record.writeUInt32LE(0, 32);
    parts.push(u32(name.length), name, record);
  });
  return Buffer.concat(parts);
}

function toPackPath(entryPath: string): string {
  const relative = entryPath.replace(/^res:\/\//, '');
  if (relative.includes('\\') || relative.startsWith('/') || relative.split('/').includes('..')) {
    throw new Error(
      `Pack path "${entryPath}" is invalid; use a relative path with forward slashes.`,
    );
  }
  return relative;
}

function padTo(data: Buffer, alignment: number): Buffer {
  const remainder = data.length % alignment;
  return remainder === 0 ? data : Buffer.concat([data, Buffer.alloc(alignment - remainder)]);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value, 0);
  return buffer;
}

/** Values for project.godot, by section then key; values are written as they are (`true`, `"text"`). */
export type ProjectSettingsPatch = Record<string, Record<string, string>>;

export interface ProjectPackOptions {
  /** Godot project folder with `project.godot`. Symlinked folders inside it are skipped. */
  projectDir: string;
  /** The addon folder, packed as `addons/godot_bridge/`. */
  addonDir: string;
  /** Settings to set or add in project.godot. */
  settings?: ProjectSettingsPatch;
  /** Extra or replacement files by pack path, such as test-only scenes. */
  files?: Record<string, string | Buffer>;
}

/** Text files that the engine reads as they are, without an import step. */
const PACKED_EXTENSIONS = new Set(['.gd', '.tscn', '.tres', '.cfg', '.godot', '.json']);

/** Without this file, startup prints an error; projects with `class_name` need the real list. */
export const GLOBAL_SCRIPT_CLASS_CACHE = {
  path: '.godot/global_script_class_cache.cfg',
  data: 'list=Array[Dictionary]([])\n',
};

/** Builds a PCK from a project folder, the addon and optional overrides. */
export async function buildProjectPack(options: ProjectPackOptions): Promise<Buffer> {
  const files = new Map<string, Buffer>();
  for (const file of await listFiles(options.projectDir)) {
    files.set(file, await readFile(path.join(options.projectDir, file)));
  }
  for (const file of await listFiles(options.addonDir)) {
    files.set(`addons/godot_bridge/${file}`, await readFile(path.join(options.addonDir, file)));
  }

  const project = files.get('project.godot');
  if (!project) {
    throw new Error(`${options.projectDir} has no project.godot; pass a Godot project folder.`);
  }
  files.set(
    'project.godot',
    Buffer.from(patchProjectSettings(project.toString('utf8'), options.settings ?? {})),
  );
  files.set(GLOBAL_SCRIPT_CLASS_CACHE.path, Buffer.from(GLOBAL_SCRIPT_CLASS_CACHE.data));
  for (const [file, data] of Object.entries(options.files ?? {})) {
    files.set(file, typeof data === 'string' ? Buffer.from(data) : data);
  }

  return writePck([...files].map(([file, data]) => ({ path: file, data })));
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name.startsWith('.')) {
      continue;
    }
    if (entry.isDirectory()) {
      found.push(...(await listFiles(root, relative)));
    } else if (entry.isFile() && PACKED_EXTENSIONS.has(path.extname(entry.name))) {
      found.push(relative);
    }
  }
  return found.sort();
}

/**
 * Returns project.godot text with `settings` applied: an existing key gets the new value, a
 * missing key is added at the end of its section, and a missing section is appended.
 */
export function patchProjectSettings(text: string, settings: ProjectSettingsPatch): string {
  const lines = text.split('\n');
  for (const [section, values] of Object.entries(settings)) {
    for (const [key, value] of Object.entries(values)) {
      setSetting(lines, section, key, value);
    }
  }
  return lines.join('\n');
}

function setSetting(lines: string[], section: string, key: string, value: string): void {
  const header = `[${section}]`;
  const start = lines.findIndex((line) => line.trim() === header);
  if (start === -1) {
    lines.push('', header, '', `${key}=${value}`);
    return;
  }
  let end = lines.findIndex((line, index) => index > start && line.startsWith('['));
  if (end === -1) {
    end = lines.length;
  }
  for (let index = start + 1; index < end; index += 1) {
    if (lines[index]?.split('=')[0]?.trim() === key) {
      lines[index] = `${key}=${value}`;
      return;
    }
  }
  let insertAt = end;
  while (insertAt > start + 1 && lines[insertAt - 1]?.trim() === '') {
    insertAt -= 1;
  }
  lines.splice(insertAt, 0, `${key}=${value}`);
}
