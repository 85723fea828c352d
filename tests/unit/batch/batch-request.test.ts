import {
  batchRequestSchemaId,
  checkOperation,
  parseBatchRequest,
} from '../../../daemon/src/batch/batch-request.js';
import { BridgeError } from '../../../daemon/src/errors/catalogue.js';
import { SceneAllowList } from '../../../daemon/src/scenes/scene-path.js';
import { SchemaRegistry } from '../../../daemon/src/schemas/registry.js';

const schemas = new SchemaRegistry();
const allowList = new SceneAllowList(['res://scenes/**/*.tscn']);

function parseError(body: unknown, maxOperations = 50): BridgeError {
  try {
    parseBatchRequest(schemas, body, maxOperations);
  } catch (error) {
    return error as BridgeError;
  }
  throw new Error('parseBatchRequest accepted the body');
}

describe('parseBatchRequest', () => {
  test('schema id names a registered schema', () => {
    expect(schemas.has(batchRequestSchemaId)).toBe(true);
  });

  test('mode defaults to continue', () => {
    const request = parseBatchRequest(schemas, { operations: [{ action: 'get_info' }] }, 50);
    expect(request).toEqual({ mode: 'continue', operations: [{ action: 'get_info' }] });
  });

  test('operations are not checked one by one', () => {
    const request = parseBatchRequest(
      schemas,
      { mode: 'transactional', operations: [42, { action: 'fly' }] },
      50,
    );
    expect(request.operations).toEqual([42, { action: 'fly' }]);
  });

  test('maximum comes from the argument', () => {
    const operations = Array.from({ length: 6 }, () => ({ action: 'get_info' }));
    expect(parseBatchRequest(schemas, { operations }, 6).operations).toHaveLength(6);
    const error = parseError({ operations }, 5);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('the maximum is 5');
  });

  test('envelope errors name the fix', () => {
    const error = parseError({ operations: 'load' });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('operations must be array');
    expect(error.message).toContain('"operations": [');
  });
});

describe('checkOperation', () => {
  const check = (value: unknown) => checkOperation(value, 3, schemas, allowList);

  test('load with an allowed path passes', () => {
    expect(check({ action: 'load', scene_path: 'res://scenes/a.tscn' })).toEqual({
      ok: true,
      operation: { index: 3, action: 'load', scenePath: 'res://scenes/a.tscn' },
    });
  });

  test('reload passes without a path', () => {
    expect(check({ action: 'reload' })).toEqual({
      ok: true,
      operation: { index: 3, action: 'reload', scenePath: null },
    });
  });

  test.each([
    [null, 'VALIDATION_FAILED', 'is null'],
    [[1], 'VALIDATION_FAILED', 'is an array'],
    [{ action: 'LOAD', scene_path: 'res://scenes/a.tscn' }, 'UNKNOWN_ACTION', '"LOAD"'],
    [{ action: 'x'.repeat(500) }, 'UNKNOWN_ACTION', '...'],
    [{ action: 'validate', path: 'res://scenes/a.tscn' }, 'VALIDATION_FAILED', '"path"'],
    [{ action: 'validate', scene_path: '' }, 'INVALID_SCENE_PATH', 'non-empty'],
    [{ action: 'load', scene_path: 'res://other/a.tscn' }, 'SCENE_PATH_NOT_ALLOWED', 'allow-list'],
  ])('%j fails with %s', (value, code, text) => {
    const checked = check(value);
    if (checked.ok) throw new Error('operation passed the check');
    expect(checked.report.index).toBe(3);
    expect(checked.report.status).toBe('failed');
    expect(checked.report.error?.code).toBe(code);
    expect(checked.report.error?.message).toContain(text);
    expect(checked.report.error?.message.length).toBeLessThan(400);
  });

  test('report echoes the action and path as sent', () => {
    const checked = check({ action: 'load', scene_path: 'res://other/a.tscn' });
    if (checked.ok) throw new Error('operation passed the check');
    expect(checked.report.action).toBe('load');
    expect(checked.report.scene_path).toBe('res://other/a.tscn');
  });
});
