import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Shape of the generated project: how many prop scenes, level scenes and instances per level. */
export interface ProjectShape {
  props: number;
  levels: number;
  instancesPerLevel: number;
}

function uidFor(kind: string, index: number): string {
  return `uid://${kind}${index.toString(34).replace(/z/g, 'y')}`;
}

function propScene(index: number): string {
  return [
    `[gd_scene load_steps=4 format=3 uid="${uidFor('bp', index)}"]`,
    '',
    `[ext_resource type="Script" uid="${uidFor('cs', index)}" path="res://props/prop_${index}.gd" id="1_s"]`,
    '',
    '[sub_resource type="BoxShape3D" id="BoxShape3D_a"]',
    'size = Vector3(1, 2, 1)',
    '',
    '[sub_resource type="StandardMaterial3D" id="Mat_b"]',
    'albedo_color = Color(0.8, 0.2, 0.1, 1)',
    'metadata/tags = PackedStringArray("prop", "static")',
    '',
    '[node name="Prop" type="StaticBody3D"]',
    'transform = Transform3D(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0.5, 0)',
    'script = ExtResource("1_s")',
    '',
    '[node name="Shape" type="CollisionShape3D" parent="."]',
    'shape = SubResource("BoxShape3D_a")',
    '',
    '[node name="Mesh" type="MeshInstance3D" parent="."]',
    'material_override = SubResource("Mat_b")',
    '',
  ].join('\n');
}

function levelScene(index: number, shape: ProjectShape): string {
  const lines = [`[gd_scene format=3 uid="${uidFor('bl', index)}"]`, ''];
  for (let i = 0; i < shape.instancesPerLevel; i++) {
    const prop = (index * shape.instancesPerLevel + i) % shape.props;
    lines.push(
      `[ext_resource type="PackedScene" uid="${uidFor('bp', prop)}" path="res://props/prop_${prop}.tscn" id="${i + 1}_p"]`,
    );
  }
  lines.push(
    '',
    '[node name="Level" type="Node3D"]',
    '',
    '[node name="Props" type="Node3D" parent="."]',
    '',
  );
  for (let i = 0; i < shape.instancesPerLevel; i++) {
    lines.push(
      `[node name="Prop${i}" parent="Props" instance=ExtResource("${i + 1}_p")]`,
      `transform = Transform3D(1, 0, 0, 0, 1, 0, 0, 0, 1, ${i * 2}.5, 0, ${-i})`,
      '',
    );
  }
  lines.push(
    '[connection signal="input_event" from="Props/Prop0" to="." method="_on_prop_input"]',
    '',
  );
  return lines.join('\n');
}

/** Writes a Godot 4 project of prop scenes with scripts and level scenes that instance them. */
export async function generateProject(
  shape: ProjectShape,
): Promise<{ dir: string; scenes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'godot-bridge-bench-'));
  const files = new Map<string, string>();
  files.set('project.godot', 'config_version=5\n\n[application]\n\nconfig/name="Bench"\n');
  for (let i = 0; i < shape.props; i++) {
    files.set(`props/prop_${i}.tscn`, propScene(i));
    files.set(`props/prop_${i}.gd`, 'extends StaticBody3D\n');
    files.set(`props/prop_${i}.gd.uid`, `${uidFor('cs', i)}\n`);
  }
  for (let i = 0; i < shape.levels; i++) files.set(`levels/level_${i}.tscn`, levelScene(i, shape));
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return { dir, scenes: shape.props + shape.levels };
}
