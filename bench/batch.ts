/**
 * Measures what POST /batch adds on top of the Godot link: a 50-operation
 * validate batch against a protocol peer that replies at once, compared with
 * the same 50 scene.validate round trips sent straight through the daemon's
 * GodotInstance, in the same process and run. Also times 50 separate
 * POST /scene/validate requests, the work a batch replaces.
 *
 * Run: npm run bench:batch [-- --runs 200]
 */
import os from 'node:os';
import { TestDaemon } from '../tests/support/test-daemon.js';

const operationCount = 50;
const warmupRuns = 20;

interface Stats {
  median: number;
  p95: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { median: at(0.5), p95: at(0.95), mean };
}

async function time(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function sample(runs: number, work: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmupRuns; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await time(work));
  return samples;
}

function parseRuns(argv: string[]): number {
  const flag = argv.indexOf('--runs');
  if (flag === -1) return 200;
  const runs = Number(argv[flag + 1]);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`--runs must be a positive integer, got "${argv[flag + 1] ?? ''}"`);
  }
  return runs;
}

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2));
  // Each validate operation also runs the static pass, so the scenes exist on disk.
  const files: Record<string, string> = {};
  for (let i = 0; i < operationCount; i++) {
    files[`scenes/s_${i}.tscn`] = '[gd_scene format=3]\n\n[node name="Root" type="Node3D"]\n';
  }
  const daemon = await TestDaemon.start({ files, config: { batch: { rateLimit: 1_000_000 } } });
  try {
    await daemon.connectPeer({ current_scene: 'res://scenes/main.tscn' });
    const instance = daemon.daemon.context.registry.list()[0]!;
    const paths = Array.from({ length: operationCount }, (_, i) => `res://scenes/s_${i}.tscn`);
    const operations = paths.map((scenePath) => ({ action: 'validate', scene_path: scenePath }));

    const bare = await sample(runs, async () => {
      for (const scenePath of paths) {
        await instance.request('scene.validate', { scene_path: scenePath }, { timeoutMs: 5000 });
      }
    });
    const batch = await sample(runs, async () => {
      const res = await daemon.request('POST', '/batch', { body: { operations } });
      if (res.status !== 200 || res.body.successful !== operationCount) {
        throw new Error(`batch failed: ${res.status} ${res.text.slice(0, 200)}`);
      }
    });
    const separate = await sample(Math.max(1, Math.floor(runs / 4)), async () => {
      for (const scenePath of paths) {
        const res = await daemon.request('POST', '/scene/validate', {
          body: { scene_path: scenePath, mode: 'live' },
        });
        if (res.status !== 200) throw new Error(`validate failed: ${res.status}`);
      }
    });
    report(runs, stats(bare), stats(batch), stats(separate));
  } finally {
    await daemon.stop();
  }
}

function report(runs: number, bare: Stats, batch: Stats, separate: Stats): void {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const row = (name: string, s: Stats) =>
    `${name.padEnd(44)} median ${ms(s.median).padStart(10)}  p95 ${ms(s.p95).padStart(10)}` +
    `  per op ${ms(s.median / operationCount).padStart(9)}`;
  const overhead = (batch.median - bare.median) / operationCount;

  console.log(`godot-bridge batch benchmark: ${operationCount} validate operations, ${runs} runs`);
  console.log(
    `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores`,
  );
  console.log(row('bare link round trips (GodotInstance.request)', bare));
  console.log(row('POST /batch', batch));
  console.log(row('50 x POST /scene/validate', separate));
  console.log(
    `daemon overhead per operation (batch - bare, medians): ${ms(overhead)} ` +
      `(target < 1 ms: ${overhead < 1 ? 'met' : 'missed'})`,
  );
}

await main();
