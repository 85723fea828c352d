/**
 * Parser throughput against @fernforestgames/godot-resource-parser on a
 * corpus of .tscn/.tres files, and the time to validate a generated project
 * of 1,000 scenes with a cold and a warm cache.
 *
 * Usage: npm run bench:parse -- [CORPUS_DIR]   (or set GODOT_BRIDGE_CORPUS)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { parse as baselineParse } from '@fernforestgames/godot-resource-parser';

import { parseTextResource } from '../daemon/src/scenes/parser/index.js';
import { listScenes, SceneCache, validateScenes } from '../daemon/src/scenes/static/index.js';
import { generateProject } from './generate-project.js';

const ROUNDS = 5;

function walk(folder: string, out: string[] = []): string[] {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(tscn|tres)$/.test(name)) out.push(path);
  }
  return out;
}

function parsesWith(parse: (text: string) => unknown, text: string): boolean {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Parses every text ROUNDS times after one warm-up round and returns MB/s. */
function throughput(parse: (text: string) => unknown, texts: string[], bytes: number): number {
  for (const text of texts) parse(text);
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) for (const text of texts) parse(text);
  const seconds = (performance.now() - started) / 1000;
  return (bytes * ROUNDS) / 1e6 / seconds;
}

function benchParsers(corpus: string): void {
  const texts = walk(corpus).map((file) => readFileSync(file, 'utf8'));
  const ours = (text: string): unknown => parseTextResource(text);
  const shared = texts.filter((text) => parsesWith(ours, text) && parsesWith(baselineParse, text));
  const bytes = shared.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  console.log(
    `corpus: ${texts.length} files; both parsers parse ${shared.length} (${(bytes / 1e6).toFixed(2)} MB)`,
  );

  const baseline = throughput(baselineParse, shared, bytes);
  const own = throughput(ours, shared, bytes);
  console.log(`godot-bridge parser:              ${own.toFixed(1)} MB/s`);
  console.log(`@fernforestgames/godot-resource-parser: ${baseline.toFixed(1)} MB/s`);
  console.log(`ratio: ${(own / baseline).toFixed(2)}x`);
}

async function benchValidation(): Promise<void> {
  const { dir, scenes } = await generateProject({ props: 200, levels: 800, instancesPerLevel: 5 });
  try {
    const paths = await listScenes(dir);
    const cache = new SceneCache();
    let started = performance.now();
    const results = await validateScenes(dir, paths, { cache });
    const cold = performance.now() - started;
    started = performance.now();
    await validateScenes(dir, paths, { cache });
    const warm = performance.now() - started;
    const errors = results.reduce((sum, result) => sum + result.errors.length, 0);
    console.log(`validation of ${scenes} generated scenes (${errors} errors found):`);
    console.log(`  cold cache: ${cold.toFixed(0)} ms`);
    console.log(`  warm cache: ${warm.toFixed(0)} ms`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const corpus = process.argv[2] ?? process.env.GODOT_BRIDGE_CORPUS;
if (corpus) {
  benchParsers(corpus);
} else {
  console.log('No corpus: pass a folder or set GODOT_BRIDGE_CORPUS to measure parser throughput.');
}
await benchValidation();
