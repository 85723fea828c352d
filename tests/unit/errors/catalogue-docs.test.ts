import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errorCatalogue } from '../../../daemon/src/errors/catalogue.js';
import { packageRoot } from '../../../daemon/src/version.js';

describe('error catalogue', () => {
  const doc = readFileSync(path.join(packageRoot, 'docs', 'errors.md'), 'utf8');
  const rows = new Map(
    [...doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((match) => [
      match[1],
      Number(match[2]),
    ]),
  );

  test('every code has a docs row with its status', () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect({ code, status: rows.get(code) }).toEqual({ code, status: entry.status });
    }
  });

  test('docs list no code the daemon lacks', () => {
    for (const code of rows.keys()) expect(Object.keys(errorCatalogue)).toContain(code);
  });
});
