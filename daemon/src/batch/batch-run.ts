import { BridgeError } from '../errors/catalogue.js';
import type { GodotInstance } from '../godot/instance.js';
import type { Logger } from '../logging/logger.js';
import type { SceneInfo, SceneService, ValidationMode } from '../scenes/scene-service.js';
import { batchMessage, type BatchOutcome } from './batch-message.js';
import {
  failedReport,
  operationError,
  type CheckedOperation,
  type PlannedOperation,
} from './batch-request.js';
import type {
  BatchMode,
  BatchResponse,
  OperationReport,
  OperationStatus,
  RollbackReport,
} from './batch-types.js';

const cancelledMessage = 'The batch was cancelled before this operation ran.';

export interface BatchRunInput {
  mode: BatchMode;
  checked: CheckedOperation[];
  /** The target instance, or undefined when none is connected. */
  instance: GodotInstance | undefined;
  scenes: SceneService;
  /** Mode passed to SceneService.validate: undefined when the static pass exists, else live. */
  validationMode: ValidationMode | undefined;
  log: Logger;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * One run of a checked batch. The caller has the instance's exclusive
 * turn, so the operations here run one at a time and alone on the instance.
 */
export class BatchRun {
  private progressReported = 0;

  constructor(private readonly options: BatchRunInput) {}

  private get total(): number {
    return this.options.checked.length;
  }

  async execute(): Promise<BatchResponse> {
    // A signal that fired while the batch waited for its turn stops it before
    // anything, the current-scene read of a transactional batch included.
    if (this.options.signal?.aborted) {
      const reports = this.options.checked.map((checked) =>
        notRun(checked, 'cancelled', cancelledMessage),
      );
      const outcome: BatchOutcome = { kind: 'cancelled', index: 0 };
      const rollback = this.options.mode === 'transactional' ? notNeeded(null) : undefined;
      return this.respond(reports, outcome, rollback);
    }
    return this.options.mode === 'transactional' ? this.runTransactional() : this.runContinue();
  }

  private async runContinue(): Promise<BatchResponse> {
    const reports: OperationReport[] = [];
    let outcome: BatchOutcome = { kind: 'completed' };
    for (const [index, checked] of this.options.checked.entries()) {
      if (this.options.signal?.aborted) {
        outcome = { kind: 'cancelled', index };
        reports.push(...this.cancelledFrom(index));
        break;
      }
      reports.push(checked.ok ? await this.runOperation(checked.operation) : checked.report);
      this.reportProgress(index + 1);
    }
    return this.respond(reports, outcome);
  }

  private async runTransactional(): Promise<BatchResponse> {
    const rejected = this.options.checked.filter((checked) => !checked.ok);
    if (rejected.length > 0) return this.rejectAll(rejected.map((checked) => checked.report));

    const operations = this.options.checked.flatMap((checked) =>
      checked.ok ? [checked.operation] : [],
    );
    const changesScene = operations.some((operation) => changesTheScene(operation.action));
    const before = changesScene ? await this.readSceneBefore() : null;

    const reports: OperationReport[] = [];
    let outcome: BatchOutcome = { kind: 'completed' };
    for (const operation of operations) {
      if (this.options.signal?.aborted) {
        outcome = { kind: 'cancelled', index: operation.index };
        reports.push(...this.cancelledFrom(operation.index));
        break;
      }
      const report = await this.runOperation(operation);
      reports.push(report);
      this.reportProgress(operation.index + 1);
      if (!report.success) {
        outcome = { kind: 'failed', report };
        reports.push(...this.skippedAfter(operation.index));
        break;
      }
    }

    const rollback =
      outcome.kind === 'completed' ? notNeeded(before) : await this.rollBack(before, reports);
    if (rollback.status !== 'not_needed') markRolledBack(reports, rollback.status === 'restored');
    return this.respond(reports, outcome, rollback);
  }

  /** Reports a transactional batch with operations that failed the check: nothing runs. */
  private rejectAll(failures: OperationReport[]): BatchResponse {
    const indexes = failures.map((report) => report.index);
    const reason =
      `Not run because ${indexes.length === 1 ? 'operation' : 'operations'} ` +
      `${indexes.join(', ')} failed the check, so the transactional batch ran nothing.`;
    const reports = this.options.checked.map((checked) => notRun(checked, 'skipped', reason));
    return this.respond(reports, { kind: 'rejected', indexes }, notNeeded(null));
  }

  private async readSceneBefore(): Promise<SceneInfo> {
    try {
      return await this.options.scenes.info(this.requireInstance());
    } catch (error) {
      if (!(error instanceof BridgeError)) throw error;
      // The batch cannot promise a rollback without the scene to restore, so it does not start.
      throw new BridgeError(
        error.code,
        `The transactional batch did not start because reading the current scene failed: ` +
          `${error.message}`,
        { details: error.details, cause: error },
      );
    }
  }

  private async runOperation(operation: PlannedOperation): Promise<OperationReport> {
    const started = performance.now();
    const sent = { action: operation.action, scene_path: operation.scenePath };
    try {
      const result = await this.perform(operation);
      return {
        index: operation.index,
        ...sent,
        success: true,
        status: 'succeeded',
        result,
        duration_ms: elapsed(started),
      };
    } catch (error) {
      const bridgeError = this.toBridgeError(error, operation);
      this.options.log.info(
        { index: operation.index, action: operation.action, code: bridgeError.code },
        'batch operation failed',
      );
      return failedReport(operation.index, sent, bridgeError, elapsed(started));
    }
  }

  private async perform(operation: PlannedOperation): Promise<unknown> {
    const { scenes } = this.options;
    switch (operation.action) {
      case 'load':
        return scenes.load(this.requireInstance(), operation.scenePath!);
      case 'reload':
        return scenes.reload(this.requireInstance());
      case 'get_info':
        return { scene: await scenes.info(this.requireInstance()) };
      case 'validate':
        return this.validate(operation.scenePath!);
    }
  }

  /** Validates a scene; a scene with errors fails the operation with SCENE_INVALID. */
  private async validate(scenePath: string): Promise<unknown> {
    const result = await this.options.scenes.validate(scenePath, {
      mode: this.options.validationMode,
      instance: this.options.instance,
    });
    if (result.valid) return result;

    const first = result.errors[0];
    // Line 0 means the finding has no line, such as a file that is not found.
    const where = first?.line ? ` (line ${first.line})` : '';
    const stop = first && /[.!?]$/.test(first.message) ? '' : '.';
    const firstText = first ? ` The first one${where}: ${first.message}${stop}` : '';
    throw new BridgeError(
      'SCENE_INVALID',
      `Scene ${scenePath} has ${result.errors.length} validation error(s).${firstText} ` +
        'The error details list every finding.',
      { details: result },
    );
  }

  private async rollBack(
    before: SceneInfo | null,
    reports: OperationReport[],
  ): Promise<RollbackReport> {
    const changed = reports.some((report) => report.success && changesTheScene(report.action));
    if (!changed || before === null) return notNeeded(before);

    const started = performance.now();
    const scenePath = before.path;
    try {
      if (scenePath === null) {
        throw new BridgeError(
          'NO_CURRENT_SCENE',
          'No scene was current before the batch, so there is no scene to restore.',
        );
      }
      const result = await this.options.scenes.load(this.requireInstance(), scenePath);
      this.options.log.info({ scenePath }, 'batch rolled back');
      return { status: 'restored', scene_path: scenePath, result, duration_ms: elapsed(started) };
    } catch (error) {
      const bridgeError = error instanceof BridgeError ? error : this.unexpected(error);
      this.options.log.warn({ err: bridgeError, scenePath }, 'batch rollback failed');
      return {
        status: 'failed',
        scene_path: scenePath,
        error: operationError(bridgeError),
        duration_ms: elapsed(started),
      };
    }
  }

  private cancelledFrom(index: number): OperationReport[] {
    return this.options.checked
      .slice(index)
      .map((checked) => notRun(checked, 'cancelled', cancelledMessage));
  }

  private skippedAfter(index: number): OperationReport[] {
    const reason = `Not run because operation ${index} failed and the batch is transactional.`;
    return this.options.checked
      .slice(index + 1)
      .map((checked) => notRun(checked, 'skipped', reason));
  }

  private respond(
    reports: OperationReport[],
    outcome: BatchOutcome,
    rollback?: RollbackReport,
  ): BatchResponse {
    this.reportProgress(this.total);
    const successful = reports.filter((report) => report.success).length;
    const failed = reports.filter((report) => report.status === 'failed').length;
    const response: BatchResponse = {
      success: true,
      mode: this.options.mode,
      instance: this.options.instance?.id ?? null,
      total: reports.length,
      successful,
      failed,
      skipped: reports.length - successful - failed,
      message: batchMessage(reports, outcome, rollback),
      operations: reports,
    };
    if (rollback) {
      response.rolled_back = rollback.status === 'restored';
      response.rollback = rollback;
    }
    return response;
  }

  private reportProgress(done: number): void {
    if (done <= this.progressReported) return;
    this.progressReported = done;
    this.options.onProgress?.(done, this.total);
  }

  private requireInstance(): GodotInstance {
    // The check gives every operation that needs an instance NO_INSTANCE when there is none.
    if (!this.options.instance) throw new BridgeError('INTERNAL_ERROR', 'batch has no instance');
    return this.options.instance;
  }

  private toBridgeError(error: unknown, operation: PlannedOperation): BridgeError {
    if (error instanceof BridgeError) return error;
    return this.unexpected(error, operation);
  }

  private unexpected(error: unknown, operation?: PlannedOperation): BridgeError {
    this.options.log.error(
      { err: error, index: operation?.index, action: operation?.action },
      'batch operation failed unexpectedly',
    );
    return new BridgeError(
      'INTERNAL_ERROR',
      'The daemon failed unexpectedly while running this operation; its log has the details.',
    );
  }
}

function changesTheScene(action: string | null): boolean {
  return action === 'load' || action === 'reload';
}

function notNeeded(before: SceneInfo | null): RollbackReport {
  return { status: 'not_needed', scene_path: before?.path ?? null, duration_ms: 0 };
}

/** Marks the succeeded loads and reloads: their change was undone, or the undo failed. */
function markRolledBack(reports: OperationReport[], restored: boolean): void {
  for (const report of reports) {
    if (report.success && changesTheScene(report.action)) report.rolled_back = restored;
  }
}

/**
 * Builds the report of an operation that did not run. An operation that failed its
 * check keeps that failure, since it could not have run anyway.
 */
function notRun(
  checked: CheckedOperation,
  status: Extract<OperationStatus, 'skipped' | 'cancelled'>,
  message: string,
): OperationReport {
  if (!checked.ok) return checked.report;
  const { index, action, scenePath } = checked.operation;
  const code = status === 'skipped' ? 'OPERATION_SKIPPED' : 'OPERATION_CANCELLED';
  return {
    index,
    action,
    scene_path: scenePath,
    success: false,
    status,
    error: { code, message },
    duration_ms: 0,
  };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
