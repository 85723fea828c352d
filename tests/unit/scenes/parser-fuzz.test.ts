import fc from 'fast-check';

import {
  ParseError,
  parseConfigFile,
  parseTextResource,
} from '../../../daemon/src/scenes/parser/index.js';

const SEED_SCENE = [
  '[gd_scene load_steps=3 format=3 uid="uid://abc"]',
  '[ext_resource type="Script" path="res://a.gd" id="1_a"]',
  '[sub_resource type="BoxShape3D" id="Box_1"]',
  'size = Vector3(1, 2, 3)',
  '[node name="Root" type="Node3D"]',
  'script = ExtResource("1_a")',
  'data = {&"k": [1, 2.5, "s\\n", PackedByteArray("AQID")], 3: Array[int]([1])}',
  'shape = SubResource("Box_1")',
  'color = Color(1, 0, 0, 1)',
  '[node name="Child" type="Node" parent="." groups=["g"]]',
  '[connection signal="ready" from="Child" to="." method="_r"]',
  '',
].join('\n');

const FRAGMENTS = [
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  '"',
  '&"',
  '\\',
  ',',
  ':',
  '=',
  ';',
  '\n',
  '#',
  '-',
  '1.5e',
  'inf',
];

/** Parses and returns 'ok' or the ParseError code; any other exception fails the property. */
function outcome(text: string): string {
  try {
    parseTextResource(text);
    return 'ok';
  } catch (error) {
    if (error instanceof ParseError) return error.code;
    throw error;
  }
}

describe('parser property tests', () => {
  test('mutated scenes give a result or a ParseError', () => {
    const mutation = fc.record({
      at: fc.nat(SEED_SCENE.length),
      cut: fc.nat(20),
      insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        let text = SEED_SCENE;
        for (const { at, cut, insert } of mutations) {
          const position = Math.min(at, text.length);
          text = text.slice(0, position) + insert + text.slice(position + cut);
        }
        expect(typeof outcome(text)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  test('truncated scenes give a result or a ParseError', () => {
    for (let length = 0; length <= SEED_SCENE.length; length++) {
      expect(typeof outcome(SEED_SCENE.slice(0, length))).toBe('string');
    }
  });

  test('random text gives a result or a ParseError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(typeof outcome(`[gd_scene format=3]\n${text}`)).toBe('string');
        try {
          parseConfigFile(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('nesting beyond the limit gives DEPTH_LIMIT', () => {
    const opener = fc.constantFrom('[', '{"k": ', 'Array[int]([', 'Object(Node,"p": ');
    fc.assert(
      fc.property(fc.array(opener, { minLength: 129, maxLength: 400 }), (openers) => {
        const text = `[gd_resource type="Resource" format=3]\n[resource]\nv = ${openers.join('')}1`;
        expect(outcome(text)).toBe('DEPTH_LIMIT');
      }),
      { numRuns: 200 },
    );
  });

  test('hostile sizes parse in linear time', () => {
    const sizes = [50_000, 400_000];
    const times = sizes.map((size) => {
      const text =
        '[gd_resource type="Resource" format=3]\n[resource]\n' +
        `a = "${'\\n'.repeat(size)}"\n` +
        `b = PackedFloat32Array(${Array(size).fill('1.5').join(',')})\n` +
        `${'k'.repeat(size)} = 1\n`;
      const started = performance.now();
      expect(outcome(text)).toBe('ok');
      return performance.now() - started;
    });
    // 8x the input may take at most 40x the time: a quadratic parser would take 64x.
    expect(times[1]!).toBeLessThan(Math.max(times[0]! * 40, 200));
  });
});
