/**
 * Measures the addon link against a real Godot 4.6 engine in headless Chromium: browser launch
 * to hello, new page to hello, scene.load and scene.validate round trips.
 * Usage: `npx tsx bench/engine-link.ts [runs]` (default 5 launches, 20 commands each).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openGodot } from '../tests/e2e/harness/browser.js';
import { startLinkServer } from '../tests/e2e/harness/link-server.js';
import { buildProjectPack } from '../tests/e2e/harness/pack.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'bench-token';
const runs = Number(process.argv[2] ?? 5);
const commandsPerKind = 20;

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const format = (value: number | undefined): string => (value ?? NaN).toFixed(1);
  return `median ${format(median)} ms, min ${format(sorted[0])}, max ${format(sorted.at(-1))}, n=${sorted.length}`;
}

const pack = await buildProjectPack({
  projectDir: path.join(ROOT, 'examples/vr-demo'),
  addonDir: path.join(ROOT, 'godot-addon/addons/godot_bridge'),
  settings: { godot_bridge: { enabled_in_release: 'true' } },
});

const launchToHello: number[] = [];
const pageToHello: number[] = [];
const loadRoundTrip: number[] = [];
const loadInGodot: number[] = [];
const validateRoundTrip: number[] = [];
const validateInGodot: number[] = [];

for (let run = 0; run < runs; run += 1) {
  const link = await startLinkServer({ token: TOKEN });
  const launchedAt = performance.now();
  const browser = await launchBrowser();
  const first = await openGodot(browser, { pack, port: link.port, token: TOKEN });
  await link.nextHello();
  launchToHello.push(performance.now() - launchedAt);
  await first.close();

  const pageAt = performance.now();
  const second = await openGodot(browser, { pack, port: link.port, token: TOKEN });
  await link.nextHello();
  pageToHello.push(performance.now() - pageAt);

  for (let index = 0; index < commandsPerKind; index += 1) {
    const scenePath = index % 2 === 0 ? 'res://scenes/arena.tscn' : 'res://scenes/main.tscn';
    const sentAt = performance.now();
    const loaded = await link.request('scene.load', { scene_path: scenePath });
    loadRoundTrip.push(performance.now() - sentAt);
    loadInGodot.push(Number(loaded.result?.load_ms));

    const validateAt = performance.now();
    const validated = await link.request('scene.validate', { scene_path: scenePath });
    validateRoundTrip.push(performance.now() - validateAt);
    validateInGodot.push(Number(validated.result?.duration_ms));
  }

  await second.close();
  await browser.close();
  await link.close();
}

console.log(`Chromium launch to hello:     ${summary(launchToHello)}`);
console.log(`new page to hello:            ${summary(pageToHello)}`);
console.log(`scene.load round trip:        ${summary(loadRoundTrip)}`);
console.log(`scene.load load_ms in Godot:  ${summary(loadInGodot)}`);
console.log(`scene.validate round trip:    ${summary(validateRoundTrip)}`);
console.log(`scene.validate duration_ms:   ${summary(validateInGodot)}`);
