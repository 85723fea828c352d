/**
 * Downloads and verifies the Godot 4.6 web export template for the end-to-end tests.
 * Usage: `npm run fetch:godot` (prints the engine folder).
 */
import { pino } from 'pino';
import { ensureGodotEngine } from '../tests/e2e/harness/engine.js';

const log = pino({ name: 'fetch-godot-engine' });

try {
  const engineDir = await ensureGodotEngine({ onProgress: (message) => log.info(message) });
  log.info({ engineDir }, 'godot engine ready');
} catch (error) {
  log.error({ err: error }, 'fetching the godot engine failed');
  process.exitCode = 1;
}
