import { SchemaRegistry } from '../../../daemon/src/schemas/registry.js';

describe('schema registry', () => {
  const registry = new SchemaRegistry();

  test('every schema and definition compiles', () => {
    expect(registry.schemas.size).toBeGreaterThan(5);
    for (const [id, schema] of registry.schemas) {
      expect(() => registry.validator(id)).not.toThrow();
      for (const name of Object.keys((schema.$defs as object | undefined) ?? {})) {
        expect(() => registry.validator(`${id}#/$defs/${name}`)).not.toThrow();
      }
    }
  });

  test('every example validates against its schema', () => {
    for (const [id, schema] of registry.schemas) {
      for (const example of (schema.examples as unknown[] | undefined) ?? []) {
        const validate = registry.validator(id);
        expect({ id, valid: validate(example), errors: validate.errors }).toEqual({
          id,
          valid: true,
          errors: null,
        });
      }
    }
  });

  test('result schemas reject a wrong type', () => {
    const info = registry.validator('ws/results#/$defs/scene.info');
    expect(info({ path: 'res://a.tscn', root_name: 'A', root_type: 'Node', node_count: 1 })).toBe(
      true,
    );
    expect(info({ path: 5, root_name: 'A', root_type: 'Node', node_count: 1 })).toBe(false);
  });

  test('has tells existing definitions from missing ones', () => {
    expect(registry.has('ws/results#/$defs/scene.load')).toBe(true);
    expect(registry.has('ws/results#/$defs/scene.explode')).toBe(false);
    expect(registry.has('ws/nothing')).toBe(false);
  });
});
