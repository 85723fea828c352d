import {
  parseConfigFile,
  parseTextResource,
  type GodotValue,
  type Section,
} from '../../../daemon/src/scenes/parser/index.js';

function resourceProperties(body: string): Map<string, GodotValue> {
  const file = parseTextResource(`[gd_resource type="Resource" format=3]\n\n[resource]\n${body}\n`);
  return new Map(file.resource!.properties.map((property) => [property.key, property.value]));
}

function valueOf(text: string): GodotValue {
  const value = resourceProperties(`v = ${text}`).get('v');
  if (!value) throw new Error(`no value parsed from ${text}`);
  return value;
}

describe('parser scalar values', () => {
  test('int and float keep their types', () => {
    expect(valueOf('1')).toMatchObject({ kind: 'int', value: 1 });
    expect(valueOf('-7')).toMatchObject({ kind: 'int', value: -7 });
    expect(valueOf('1.0')).toMatchObject({ kind: 'float', value: 1 });
    expect(valueOf('2e3')).toMatchObject({ kind: 'float', value: 2000 });
    expect(valueOf('-1.5e-2')).toMatchObject({ kind: 'float', value: -0.015 });
  });

  test('large ints keep their exact value', () => {
    const value = valueOf('9223372036854775807');
    expect(value).toMatchObject({ kind: 'int', big: 9223372036854775807n });
  });

  test('inf, inf_neg and nan are floats', () => {
    expect(valueOf('inf')).toMatchObject({ kind: 'float', value: Infinity });
    expect(valueOf('inf_neg')).toMatchObject({ kind: 'float', value: -Infinity });
    expect(valueOf('-inf')).toMatchObject({ kind: 'float', value: -Infinity });
    const nan = valueOf('nan');
    expect(nan.kind).toBe('float');
    expect(nan).toMatchObject({ value: NaN });
  });

  test('bool and null', () => {
    expect(valueOf('true')).toMatchObject({ kind: 'bool', value: true });
    expect(valueOf('false')).toMatchObject({ kind: 'bool', value: false });
    expect(valueOf('null')).toMatchObject({ kind: 'null' });
    expect(valueOf('nil')).toMatchObject({ kind: 'null' });
  });

  test('StringName differs from String', () => {
    expect(valueOf('&"idle"')).toMatchObject({ kind: 'string_name', value: 'idle' });
    expect(valueOf('"idle"')).toMatchObject({ kind: 'string', value: 'idle' });
    expect(valueOf('@"old"')).toMatchObject({ kind: 'string_name', value: 'old' });
  });

  test('string escapes decode', () => {
    const value = valueOf('"a\\tb\\nc\\"d\\\\e\\u00e9\\U01F600\\q\\b\\f\\r"');
    expect(value).toMatchObject({ kind: 'string', value: 'a\tb\nc"d\\e\u00e9\u{1F600}q\b\f\r' });
  });

  test('escaped surrogate pairs join', () => {
    expect(valueOf('"\\ud83d\\ude00"')).toMatchObject({ value: '\u{1F600}' });
  });

  test('strings keep real newlines and count lines', () => {
    const props = resourceProperties('text = "line one\nline two"\nafter = 1');
    expect(props.get('text')).toMatchObject({ kind: 'string', value: 'line one\nline two' });
    expect(props.get('after')).toMatchObject({ line: 6, column: 9 });
  });

  test('NodePath and colour token', () => {
    expect(valueOf('NodePath("../Body:position")')).toMatchObject({
      kind: 'node_path',
      value: '../Body:position',
    });
    const color = valueOf('#ff000080');
    expect(color).toMatchObject({ kind: 'Color', components: [1, 0, 0, 128 / 255] });
  });

  test('RID, Callable and Signal load as empty values', () => {
    expect(valueOf('RID()')).toMatchObject({ kind: 'rid' });
    expect(valueOf('Callable()')).toMatchObject({ kind: 'callable' });
    expect(valueOf('Signal()')).toMatchObject({ kind: 'signal' });
  });
});

describe('parser math constructors', () => {
  const cases: Array<[string, string, number[]]> = [
    ['Vector2(1, 2.5)', 'Vector2', [1, 2.5]],
    ['Vector2i(3, -4)', 'Vector2i', [3, -4]],
    ['Vector3(1, 2, 3)', 'Vector3', [1, 2, 3]],
    ['Vector3i(1, 2, 3)', 'Vector3i', [1, 2, 3]],
    ['Vector4(1, 2, 3, 4)', 'Vector4', [1, 2, 3, 4]],
    ['Vector4i(1, 2, 3, 4)', 'Vector4i', [1, 2, 3, 4]],
    ['Rect2(0, 0, 10, 20)', 'Rect2', [0, 0, 10, 20]],
    ['Rect2i(0, 0, 10, 20)', 'Rect2i', [0, 0, 10, 20]],
    ['Quaternion(0, 0, 0, 1)', 'Quaternion', [0, 0, 0, 1]],
    ['Plane(0, 1, 0, 5)', 'Plane', [0, 1, 0, 5]],
    ['AABB(0, 0, 0, 1, 1, 1)', 'AABB', [0, 0, 0, 1, 1, 1]],
    ['Basis(1, 0, 0, 0, 1, 0, 0, 0, 1)', 'Basis', [1, 0, 0, 0, 1, 0, 0, 0, 1]],
    ['Transform2D(1, 0, 0, 1, 5, 6)', 'Transform2D', [1, 0, 0, 1, 5, 6]],
    [
      'Transform3D(1, 0, 0, 0, 1, 0, 0, 0, 1, 7, 8, 9)',
      'Transform3D',
      [1, 0, 0, 0, 1, 0, 0, 0, 1, 7, 8, 9],
    ],
    ['Color(1, 0.5, 0, 1)', 'Color', [1, 0.5, 0, 1]],
  ];
  test.each(cases)('%s', (text, kind, components) => {
    expect(valueOf(text)).toMatchObject({ kind, components });
  });

  test('Projection takes 16 numbers', () => {
    const text = `Projection(${Array.from({ length: 16 }, (_, i) => i).join(', ')})`;
    expect(valueOf(text)).toMatchObject({ kind: 'Projection' });
  });

  test('constructor arguments accept inf and nan', () => {
    expect(valueOf('Vector2(inf, inf_neg)')).toMatchObject({ components: [Infinity, -Infinity] });
  });

  test('Godot 3 aliases map to Godot 4 types', () => {
    expect(valueOf('Transform(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0)')).toMatchObject({
      kind: 'Transform3D',
      alias: 'Transform',
    });
    expect(valueOf('Quat(0, 0, 0, 1)')).toMatchObject({ kind: 'Quaternion', alias: 'Quat' });
    expect(valueOf('Rect3(0, 0, 0, 1, 1, 1)')).toMatchObject({ kind: 'AABB' });
    expect(valueOf('Matrix32(1, 0, 0, 1, 0, 0)')).toMatchObject({ kind: 'Transform2D' });
    expect(valueOf('PoolIntArray(1, 2)')).toMatchObject({
      kind: 'PackedInt32Array',
      values: [1, 2],
    });
    expect(valueOf('PoolStringArray("a")')).toMatchObject({ kind: 'PackedStringArray' });
  });
});

describe('parser packed arrays', () => {
  test('flat vector lists stay flat', () => {
    expect(valueOf('PackedVector2Array(0, 1, 2, 3)')).toMatchObject({
      kind: 'PackedVector2Array',
      values: [0, 1, 2, 3],
    });
    expect(valueOf('PackedVector3Array()')).toMatchObject({ values: [] });
    expect(valueOf('PackedVector4Array(1, 2, 3, 4)')).toMatchObject({ kind: 'PackedVector4Array' });
    expect(valueOf('PackedColorArray(1, 1, 1, 1)')).toMatchObject({ kind: 'PackedColorArray' });
    expect(valueOf('PackedFloat64Array(0.5)')).toMatchObject({ values: [0.5] });
    expect(valueOf('PackedInt64Array(5)')).toMatchObject({ kind: 'PackedInt64Array' });
    expect(valueOf('PackedFloat32Array(1.5, 2)')).toMatchObject({ values: [1.5, 2] });
  });

  test('PackedByteArray reads lists and base64', () => {
    const list = valueOf('PackedByteArray(1, 2, 255)');
    expect(list).toMatchObject({ kind: 'PackedByteArray', encoding: 'list' });
    expect(list).toMatchObject({ values: Uint8Array.from([1, 2, 255]) });
    const base64 = valueOf('PackedByteArray("AQID/w==")');
    expect(base64).toMatchObject({ encoding: 'base64' });
    expect(base64).toMatchObject({ values: Uint8Array.from([1, 2, 3, 255]) });
  });

  test('PackedStringArray keeps strings', () => {
    expect(valueOf('PackedStringArray("a", "b c")')).toMatchObject({ values: ['a', 'b c'] });
  });
});

describe('parser containers and references', () => {
  test('arrays and nested dictionaries with any key type', () => {
    const value = valueOf('[1, "two", {1: &"x", &"k": [3.0], Vector2(1, 2): null},]');
    expect(value.kind).toBe('array');
    if (value.kind !== 'array') return;
    expect(value.items).toHaveLength(3);
    const dict = value.items[2]!;
    expect(dict.kind).toBe('dictionary');
    if (dict.kind !== 'dictionary') return;
    expect(dict.entries.map((entry) => entry.key.kind)).toEqual(['int', 'string_name', 'Vector2']);
  });

  test('typed Array and Dictionary keep their types', () => {
    const array = valueOf('Array[StringName]([&"a"])');
    expect(array).toMatchObject({
      kind: 'array',
      elementType: { kind: 'builtin', name: 'StringName' },
    });
    const classed = valueOf('Array[Resource]([])');
    expect(classed).toMatchObject({ elementType: { kind: 'class', name: 'Resource' } });
    const node = valueOf('Array[Node3D]([])');
    expect(node).toMatchObject({ elementType: { kind: 'class', name: 'Node3D' } });
    const dict = valueOf('Dictionary[String, int]({"a": 1})');
    expect(dict).toMatchObject({
      kind: 'dictionary',
      keyType: { name: 'String' },
      valueType: { name: 'int' },
    });
  });

  test('typed Array of a script class refers to ExtResource', () => {
    const file = parseTextResource(
      '[gd_resource type="Resource" format=3]\n[ext_resource type="Script" path="res://a.gd" id="1_a"]\n' +
        '[resource]\nitems = Array[ExtResource("1_a")]([])\n',
    );
    const value = file.resource!.properties[0]!.value;
    expect(value).toMatchObject({ elementType: { kind: 'script', script: { id: '1_a' } } });
    expect(file.references.map((reference) => reference.kind)).toEqual(['ext_resource']);
  });

  test('ExtResource, SubResource and Resource references', () => {
    expect(valueOf('ExtResource("1_abcde")')).toMatchObject({
      kind: 'ext_resource',
      id: '1_abcde',
    });
    expect(valueOf('ExtResource( 3 )')).toMatchObject({ kind: 'ext_resource', id: '3' });
    expect(valueOf('SubResource("Box_1")')).toMatchObject({ kind: 'sub_resource', id: 'Box_1' });
    expect(valueOf('Resource("uid://abc", "res://x.tres")')).toMatchObject({
      kind: 'resource',
      uid: 'uid://abc',
      path: 'res://x.tres',
    });
  });

  test('Object keeps class and properties', () => {
    const value = valueOf('Object(InputEventKey,"keycode":4194320,"pressed":false)');
    expect(value).toMatchObject({ kind: 'object', className: 'InputEventKey' });
    expect(value.kind === 'object' && value.properties.map((p) => p.name)).toEqual([
      'keycode',
      'pressed',
    ]);
  });
});

describe('parser sections', () => {
  const scene = [
    '[gd_scene load_steps=3 format=3 uid="uid://b1"]',
    '',
    '; a comment line',
    '[ext_resource type="Script" path="res://player.gd" id="1_x"]',
    '',
    '[node name="Root" type="Node2D" future_attribute=42]',
    '"quoted key/with space" = 1 ; trailing comment',
    'metadata/_edit_lock_ = true',
    '0:0/0/terrain = 2',
    '',
    '[node name="Child" type="Sprite2D" parent="." groups=["b", "a"] index="2"]',
    '',
    '[connection signal="ready" from="Child" to="." method="_on_ready" flags=3]',
    '',
  ].join('\n');

  test('sections and positions are recorded', () => {
    const file = parseTextResource(scene);
    expect(file.kind).toBe('scene');
    expect(file.header).toMatchObject({
      format: 3,
      uid: 'uid://b1',
      loadSteps: 3,
      line: 1,
      column: 1,
    });
    expect(file.extResources[0]).toMatchObject({ id: '1_x', path: 'res://player.gd', line: 4 });
    expect(file.nodes.map((node) => node.name)).toEqual(['Root', 'Child']);
    expect(file.nodes[1]).toMatchObject({ parent: '.', index: 2, groups: ['b', 'a'], line: 11 });
    expect(file.connections[0]).toMatchObject({ signal: 'ready', flags: 3, unbinds: 0 });
  });

  test('unknown attributes and odd keys are kept', () => {
    const root = parseTextResource(scene).nodes[0]!.section as Section;
    expect(root.attributes.get('future_attribute')).toMatchObject({ kind: 'int', value: 42 });
    expect(root.properties.map((p) => p.key)).toEqual([
      'quoted key/with space',
      'metadata/_edit_lock_',
      '0:0/0/terrain',
    ]);
    expect(root.properties[0]).toMatchObject({ line: 7, column: 1 });
    expect(root.properties[0]!.value).toMatchObject({ line: 7, column: 27 });
  });

  test('blanks inside keys are dropped', () => {
    const props = resourceProperties('a b = 1\nc\t= 2\n  "x y" = 3');
    expect([...props.keys()]).toEqual(['ab', 'c', 'x y']);
  });

  test('format 2 is parsed and marked legacy', () => {
    const file = parseTextResource(
      '[gd_scene load_steps=1 format=2]\n[node name="A" type="Spatial"]\n',
    );
    expect(file.legacy).toBe(true);
    expect(file.legacyMessage).toMatch(/Godot 3/);
  });

  test('ConfigFile sections use raw names', () => {
    const config = parseConfigFile('config_version=5\n[application]\nconfig/name="X"\n[input]\n');
    expect(config.leading[0]).toMatchObject({ key: 'config_version' });
    expect(config.sections.map((section) => section.name)).toEqual(['application', 'input']);
  });
});
