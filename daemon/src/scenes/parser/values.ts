/** Where a value, section or property starts: 1-based line and column (UTF-16 code units). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Fixed-size math types. Their components are kept flat, in the order Godot writes them. */
export type MathKind =
  | 'Vector2'
  | 'Vector2i'
  | 'Vector3'
  | 'Vector3i'
  | 'Vector4'
  | 'Vector4i'
  | 'Rect2'
  | 'Rect2i'
  | 'Transform2D'
  | 'Plane'
  | 'Quaternion'
  | 'AABB'
  | 'Basis'
  | 'Transform3D'
  | 'Projection'
  | 'Color';

/** Packed arrays whose elements are numbers (vectors and colours are stored flat). */
export type PackedNumberKind =
  | 'PackedInt32Array'
  | 'PackedInt64Array'
  | 'PackedFloat32Array'
  | 'PackedFloat64Array'
  | 'PackedVector2Array'
  | 'PackedVector3Array'
  | 'PackedVector4Array'
  | 'PackedColorArray';

interface Located extends SourcePosition {
  /** The constructor name as written when it is a Godot 3 alias, e.g. `Transform` or `PoolIntArray`. */
  alias?: string;
}

export interface NullValue extends Located {
  kind: 'null';
}
export interface BoolValue extends Located {
  kind: 'bool';
  value: boolean;
}
/** A 64-bit integer. `big` holds the exact value when it lies outside the safe integer range. */
export interface IntValue extends Located {
  kind: 'int';
  value: number;
  big?: bigint;
}
export interface FloatValue extends Located {
  kind: 'float';
  value: number;
}
export interface StringValue extends Located {
  kind: 'string';
  value: string;
}
export interface StringNameValue extends Located {
  kind: 'string_name';
  value: string;
}
export interface NodePathValue extends Located {
  kind: 'node_path';
  value: string;
}
export interface MathValue extends Located {
  kind: MathKind;
  components: number[];
}
export interface PackedNumberArray extends Located {
  kind: PackedNumberKind;
  /** Flat list of numbers: 2, 3 or 4 per element for the vector and colour arrays. */
  values: number[];
}
export interface PackedStringArray extends Located {
  kind: 'PackedStringArray';
  values: string[];
}
export interface PackedByteArray extends Located {
  kind: 'PackedByteArray';
  values: Uint8Array;
  /** `base64` for the format 4 form `PackedByteArray("…")`, `list` for numbers. */
  encoding: 'base64' | 'list';
}

/** The element type of a typed Array or the key or value type of a typed Dictionary. */
export type ContainerType =
  { kind: 'builtin' | 'class'; name: string } | { kind: 'script'; script: ResourceReference };

export interface ArrayValue extends Located {
  kind: 'array';
  items: GodotValue[];
  elementType?: ContainerType;
}
export interface DictionaryEntry {
  key: GodotValue;
  value: GodotValue;
}
export interface DictionaryValue extends Located {
  kind: 'dictionary';
  entries: DictionaryEntry[];
  keyType?: ContainerType;
  valueType?: ContainerType;
}
export interface ObjectProperty extends SourcePosition {
  name: string;
  value: GodotValue;
}
export interface ObjectValue extends Located {
  kind: 'object';
  className: string;
  properties: ObjectProperty[];
}
/** `ExtResource("id")` or `SubResource("id")`; ids written as numbers are kept as their text. */
export interface ResourceIdReference extends Located {
  kind: 'ext_resource' | 'sub_resource';
  id: string;
  /** Index of the section the reference appears in. */
  sectionIndex: number;
}
/** `Resource("res://…")` or `Resource("uid://…", "res://…")`: an inline external reference. */
export interface InlineResourceReference extends Located {
  kind: 'resource';
  path?: string;
  uid?: string;
  sectionIndex: number;
}
export type ResourceReference = ResourceIdReference | InlineResourceReference;

export interface EmptyBuiltinValue extends Located {
  kind: 'callable' | 'signal';
}
export interface RidValue extends Located {
  kind: 'rid';
  id?: number;
}

export type GodotValue =
  | NullValue
  | BoolValue
  | IntValue
  | FloatValue
  | StringValue
  | StringNameValue
  | NodePathValue
  | MathValue
  | PackedNumberArray
  | PackedStringArray
  | PackedByteArray
  | ArrayValue
  | DictionaryValue
  | ObjectValue
  | ResourceIdReference
  | InlineResourceReference
  | EmptyBuiltinValue
  | RidValue;

/** Returns the text of a string, StringName or NodePath value, or undefined for other kinds. */
export function textOf(value: GodotValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'string' || value.kind === 'string_name' || value.kind === 'node_path') {
    return value.value;
  }
  return undefined;
}

/** Returns a number for int and float values, or undefined for other kinds. */
export function numberOf(value: GodotValue | undefined): number | undefined {
  if (value && (value.kind === 'int' || value.kind === 'float')) return value.value;
  return undefined;
}
