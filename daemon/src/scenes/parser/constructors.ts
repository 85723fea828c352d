import type { MathKind, PackedNumberKind } from './values.js';

/** A fixed-arity math constructor: the canonical type, its argument count and whether it is integral. */
export interface MathConstructor {
  kind: MathKind;
  arity: number;
  integer: boolean;
}

function math(kind: MathKind, arity: number, integer = false): MathConstructor {
  return { kind, arity, integer };
}

/** Math constructors by the name written in the file, Godot 3 aliases included. */
export const MATH_CONSTRUCTORS: ReadonlyMap<string, MathConstructor> = new Map([
  ['Vector2', math('Vector2', 2)],
  ['Vector2i', math('Vector2i', 2, true)],
  ['Rect2', math('Rect2', 4)],
  ['Rect2i', math('Rect2i', 4, true)],
  ['Vector3', math('Vector3', 3)],
  ['Vector3i', math('Vector3i', 3, true)],
  ['Vector4', math('Vector4', 4)],
  ['Vector4i', math('Vector4i', 4, true)],
  ['Transform2D', math('Transform2D', 6)],
  ['Matrix32', math('Transform2D', 6)],
  ['Plane', math('Plane', 4)],
  ['Quaternion', math('Quaternion', 4)],
  ['Quat', math('Quaternion', 4)],
  ['AABB', math('AABB', 6)],
  ['Rect3', math('AABB', 6)],
  ['Basis', math('Basis', 9)],
  ['Matrix3', math('Basis', 9)],
  ['Transform3D', math('Transform3D', 12)],
  ['Transform', math('Transform3D', 12)],
  ['Projection', math('Projection', 16)],
  ['Color', math('Color', 4)],
]);

/** Packed number arrays by written name, Godot 3 `Pool*Array` and older `*Array` names included. */
export const PACKED_NUMBER_CONSTRUCTORS: ReadonlyMap<string, PackedNumberKind> = new Map([
  ['PackedInt32Array', 'PackedInt32Array'],
  ['PackedIntArray', 'PackedInt32Array'],
  ['PoolIntArray', 'PackedInt32Array'],
  ['IntArray', 'PackedInt32Array'],
  ['PackedInt64Array', 'PackedInt64Array'],
  ['PackedFloat32Array', 'PackedFloat32Array'],
  ['PackedRealArray', 'PackedFloat32Array'],
  ['PoolRealArray', 'PackedFloat32Array'],
  ['FloatArray', 'PackedFloat32Array'],
  ['PackedFloat64Array', 'PackedFloat64Array'],
  ['PackedVector2Array', 'PackedVector2Array'],
  ['PoolVector2Array', 'PackedVector2Array'],
  ['Vector2Array', 'PackedVector2Array'],
  ['PackedVector3Array', 'PackedVector3Array'],
  ['PoolVector3Array', 'PackedVector3Array'],
  ['Vector3Array', 'PackedVector3Array'],
  ['PackedVector4Array', 'PackedVector4Array'],
  ['PoolVector4Array', 'PackedVector4Array'],
  ['Vector4Array', 'PackedVector4Array'],
  ['PackedColorArray', 'PackedColorArray'],
  ['PoolColorArray', 'PackedColorArray'],
  ['ColorArray', 'PackedColorArray'],
] as const);

export const PACKED_STRING_NAMES: ReadonlySet<string> = new Set([
  'PackedStringArray',
  'PoolStringArray',
  'StringArray',
]);

export const PACKED_BYTE_NAMES: ReadonlySet<string> = new Set([
  'PackedByteArray',
  'PoolByteArray',
  'ByteArray',
]);

/** Builtin Variant type names, as accepted for typed Array and Dictionary element types. */
export const BUILTIN_TYPE_NAMES: ReadonlySet<string> = new Set([
  'bool',
  'int',
  'float',
  'String',
  'Vector2',
  'Vector2i',
  'Rect2',
  'Rect2i',
  'Vector3',
  'Vector3i',
  'Transform2D',
  'Vector4',
  'Vector4i',
  'Plane',
  'Quaternion',
  'AABB',
  'Basis',
  'Transform3D',
  'Projection',
  'Color',
  'StringName',
  'NodePath',
  'RID',
  'Object',
  'Callable',
  'Signal',
  'Dictionary',
  'Array',
  'PackedByteArray',
  'PackedInt32Array',
  'PackedInt64Array',
  'PackedFloat32Array',
  'PackedFloat64Array',
  'PackedStringArray',
  'PackedVector2Array',
  'PackedVector3Array',
  'PackedColorArray',
  'PackedVector4Array',
]);

/** Float identifiers accepted wherever a number is expected. */
export const FLOAT_IDENTIFIERS: ReadonlyMap<string, number> = new Map([
  ['inf', Infinity],
  ['-inf', -Infinity],
  ['inf_neg', -Infinity],
  ['nan', NaN],
]);
