import { BridgeError } from '../errors/catalogue.js';
import { checkAllowedScenePath, type SceneAllowList } from '../scenes/scene-path.js';
import { describeSchemaErrors, type SchemaRegistry } from '../schemas/registry.js';
import {
  batchActions,
  type BatchAction,
  type BatchMode,
  type BatchRequest,
  type OperationError,
  type OperationReport,
} from './batch-types.js';

/** Schema id of the batch envelope in schemas/http. */
export const batchRequestSchemaId = 'http/batch-request';
const operationSchemaRef = `${batchRequestSchemaId}#/$defs/operation`;

/** Maximum length of a scene_path, as for POST /scene/load. */
export const maxScenePathLength = 4096;

const envelopeHint =
  'Send {"mode": "continue" or "transactional", "operations": [{"action": "load", ' +
  '"scene_path": "res://scenes/main.tscn"}, ...]}.';

/**
 * Checks the envelope of a batch request: a JSON object with 1 to
 * `maxOperations` operations and a known mode. Raises VALIDATION_FAILED
 * otherwise. The operations themselves are checked by `checkOperation`.
 */
export function parseBatchRequest(
  schemas: SchemaRegistry,
  body: unknown,
  maxOperations: number,
): BatchRequest {
  const validate = schemas.validator(batchRequestSchemaId);
  const value = body === undefined ? {} : body;
  if (!validate(value)) {
    const problems = describeSchemaErrors(validate.errors);
    throw new BridgeError(
      'VALIDATION_FAILED',
      `Invalid batch request: ${problems.join('; ')}. ${envelopeHint}`,
      { details: { problems } },
    );
  }

  const request = value as { mode?: BatchMode; operations: unknown[] };
  const count = request.operations.length;
  if (count > maxOperations) {
    throw new BridgeError(
      'VALIDATION_FAILED',
      `The batch has ${count} operations; the maximum is ${maxOperations} ` +
        '(setting batch.maxOperations). Split the work into several batches.',
      { details: { count, max_operations: maxOperations } },
    );
  }
  return { mode: request.mode ?? 'continue', operations: request.operations };
}

/** An operation that passed its check. */
export interface PlannedOperation {
  index: number;
  action: BatchAction;
  scenePath: string | null;
}

export type CheckedOperation =
  { ok: true; operation: PlannedOperation } | { ok: false; report: OperationReport };

/**
 * Checks one operation on its own: that it is an object with a known action,
 * no unknown fields, and a scene_path exactly when the action takes one, on
 * the allow-list. A failure becomes that operation's report.
 */
export function checkOperation(
  value: unknown,
  index: number,
  schemas: SchemaRegistry,
  allowList: SceneAllowList,
): CheckedOperation {
  try {
    return { ok: true, operation: planOperation(value, index, schemas, allowList) };
  } catch (error) {
    if (!(error instanceof BridgeError)) throw error;
    return { ok: false, report: failedReport(index, value, error) };
  }
}

function planOperation(
  value: unknown,
  index: number,
  schemas: SchemaRegistry,
  allowList: SceneAllowList,
): PlannedOperation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BridgeError(
      'VALIDATION_FAILED',
      `Operation ${index} is ${describeType(value)}; ` +
        'each operation must be an object such as {"action": "get_info"}.',
    );
  }
  const operation = value as Record<string, unknown>;
  const action = checkAction(operation.action, index);
  checkUnknownFields(operation, index, schemas);

  const takesPath = action === 'load' || action === 'validate';
  if (!takesPath) {
    if ('scene_path' in operation) throw unexpectedPath(action, index);
    return { index, action, scenePath: null };
  }
  if (operation.scene_path === undefined) {
    throw new BridgeError(
      'INVALID_SCENE_PATH',
      `Operation ${index} (${action}) has no scene_path. Add "scene_path": ` +
        `"res://scenes/main.tscn" with the scene to ${action}.`,
    );
  }
  const scenePath = operation.scene_path;
  if (typeof scenePath === 'string' && scenePath.length > maxScenePathLength) {
    throw new BridgeError(
      'INVALID_SCENE_PATH',
      `Operation ${index} has a scene_path of ${scenePath.length} characters; ` +
        `the maximum is ${maxScenePathLength}. Use the res:// path of a scene in the project.`,
      { details: { length: scenePath.length, max_length: maxScenePathLength } },
    );
  }
  return { index, action, scenePath: checkAllowedScenePath(scenePath, allowList) };
}

function checkAction(action: unknown, index: number): BatchAction {
  const known = batchActions.join(', ');
  if (action === undefined) {
    throw new BridgeError(
      'VALIDATION_FAILED',
      `Operation ${index} has no action. Set "action" to one of ${known}.`,
    );
  }
  if (typeof action !== 'string' || !(batchActions as readonly string[]).includes(action)) {
    throw new BridgeError(
      'UNKNOWN_ACTION',
      `Operation ${index} has unknown action ${shorten(action)}. Use one of ${known}.`,
      { details: { actions: batchActions } },
    );
  }
  return action as BatchAction;
}

// Only the unknown-field findings of the schema are used here: the checks
// around this call report wrong actions and paths with their own codes.
function checkUnknownFields(
  operation: Record<string, unknown>,
  index: number,
  schemas: SchemaRegistry,
): void {
  const validate = schemas.validator(operationSchemaRef);
  if (validate(operation)) return;
  const unknown = (validate.errors ?? []).filter(
    (error) => error.keyword === 'additionalProperties',
  );
  if (unknown.length === 0) return;
  const problems = describeSchemaErrors(unknown).map((problem) => problem.replace(/^body /, 'it '));
  throw new BridgeError(
    'VALIDATION_FAILED',
    `Operation ${index} is invalid: ${problems.join('; ')}. ` +
      'An operation has only "action" and "scene_path".',
    { details: { problems } },
  );
}

function unexpectedPath(action: BatchAction, index: number): BridgeError {
  const fix =
    action === 'reload'
      ? "it reloads the instance's current scene. Remove scene_path, or use load to change scenes."
      : "it returns the instance's current scene. Remove scene_path, or use validate to check a file.";
  return new BridgeError(
    'VALIDATION_FAILED',
    `Operation ${index} (${action}) takes no scene_path: ${fix}`,
  );
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Formats a value as JSON, cut to 100 characters so that a message stays readable. */
function shorten(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

/** Builds the report of a failed operation, with the action and path echoed as sent. */
export function failedReport(
  index: number,
  value: unknown,
  error: BridgeError,
  durationMs = 0,
): OperationReport {
  return {
    ...echo(index, value),
    success: false,
    status: 'failed',
    error: operationError(error),
    duration_ms: durationMs,
  };
}

/** Copies the index, action and scene_path of a report from the operation as sent. */
export function echo(
  index: number,
  value: unknown,
): Pick<OperationReport, 'index' | 'action' | 'scene_path'> {
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const action = typeof fields.action === 'string' ? fields.action : null;
  const path = fields.scene_path;
  const scenePath = typeof path === 'string' && path.length <= maxScenePathLength ? path : null;
  return { index, action, scene_path: scenePath };
}

export function operationError(error: BridgeError): OperationError {
  return error.toBody().error;
}
