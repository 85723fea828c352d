import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
  parseConfigFile,
  parseTextResource,
  projectInfoFrom,
} from '../../../daemon/src/scenes/parser/index.js';

const corpus = process.env.GODOT_BRIDGE_CORPUS;

function walk(folder: string, out: string[] = []): string[] {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

if (!corpus) {
  describe('corpus', () => {
    test('corpus tests did not run: GODOT_BRIDGE_CORPUS is unset', () => {
      console.warn(
        'GODOT_BRIDGE_CORPUS is unset: the real-file corpus tests did not run. ' +
          'Set it to a folder of .tscn/.tres/project.godot files to run them.',
      );
      expect(corpus).toBeUndefined();
    });
  });
} else {
  const files = walk(corpus);
  const textResources = files.filter((file) => /\.(tscn|tres)$/.test(file));
  const projects = files.filter((file) => file.endsWith('project.godot'));

  describe('corpus', () => {
    test('corpus folder has files', () => {
      expect(textResources.length).toBeGreaterThan(0);
      expect(projects.length).toBeGreaterThan(0);
    });

    test('every scene and resource parses', () => {
      const failures: string[] = [];
      const formats = new Set<number | undefined>();
      for (const file of textResources) {
        try {
          const parsed = parseTextResource(readFileSync(file, 'utf8'));
          formats.add(parsed.header.format);
          if (parsed.issues.length > 0)
            failures.push(`${relative(corpus, file)}: ${parsed.issues[0]!.message}`);
        } catch (error) {
          failures.push(`${relative(corpus, file)}: ${(error as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
      expect([...formats].sort()).toEqual(expect.arrayContaining([2, 3, 4]));
    });

    test('format 2 files are legacy', () => {
      for (const file of textResources.filter((f) => f.includes(`${join('corpus', 'godot3')}`))) {
        expect(parseTextResource(readFileSync(file, 'utf8')).legacy).toBe(true);
      }
    });

    test('every project.godot parses with a name', () => {
      for (const file of projects) {
        const info = projectInfoFrom(parseConfigFile(readFileSync(file, 'utf8')));
        expect(info.name).toEqual(expect.any(String));
        expect(info.configVersion).toEqual(expect.any(Number));
      }
    });

    test('format 4 files keep base64 byte arrays', () => {
      const sample = textResources.find((file) =>
        file.endsWith(
          join(
            'godot4',
            'godotengine',
            'godot-demo-projects',
            'networking',
            'multiplayer_bomber',
            'world.tscn',
          ),
        ),
      );
      if (!sample) return expect(textResources.length).toBeGreaterThan(0);
      const parsed = parseTextResource(readFileSync(sample, 'utf8'));
      expect(parsed.header.format).toBe(4);
      const values = parsed.sections.flatMap((section) => section.properties.map((p) => p.value));
      expect(values.some((v) => v.kind === 'PackedByteArray' && v.encoding === 'base64')).toBe(
        true,
      );
    });

    test('sections and properties point at their text', () => {
      for (const file of textResources) {
        const text = readFileSync(file, 'utf8');
        const lines = text.split('\n');
        for (const section of parseTextResource(text).sections) {
          const at = lines[section.line - 1]!.slice(section.column - 1);
          expect(at.startsWith(`[${section.name}`)).toBe(true);
          for (const property of section.properties) {
            const written = lines[property.line - 1]!.slice(property.column - 1);
            if (!written.startsWith('"')) expect(written.startsWith(property.key)).toBe(true);
          }
        }
      }
    });

    test('ints, floats and StringNames keep their kinds', () => {
      const kinds = new Map<string, string>();
      for (const file of textResources.slice(0, 300)) {
        const text = readFileSync(file, 'utf8');
        const lines = text.split('\n');
        for (const section of parseTextResource(text).sections) {
          for (const { value } of section.properties) {
            const written = lines[value.line - 1]!.slice(value.column - 1);
            if (value.kind === 'int') expect(written).toMatch(/^-?\d+(?![.\deE])/);
            if (value.kind === 'float' && /^-?\d/.test(written))
              expect(written).toMatch(/^-?\d+(\.|e|E)/);
            if (value.kind === 'string_name') expect(written.startsWith('&"')).toBe(true);
            if (value.kind === 'string') expect(written.startsWith('"')).toBe(true);
            kinds.set(value.kind, file);
          }
        }
      }
      expect([...kinds.keys()]).toEqual(
        expect.arrayContaining(['int', 'float', 'string', 'string_name']),
      );
    });
  });
}
