import type { ErrorCode } from '../errors/catalogue.js';
import type { LoadResult } from '../scenes/scene-service.js';

export const batchActions = ['load', 'validate', 'get_info', 'reload'] as const;
export const batchModes = ['continue', 'transactional'] as const;

export type BatchAction = (typeof batchActions)[number];
export type BatchMode = (typeof batchModes)[number];

/** A batch request whose envelope passed the check; operations are checked one by one later. */
export interface BatchRequest {
  mode: BatchMode;
  operations: unknown[];
}

export interface BatchRunOptions {
  /** `?instance=` of the scene routes: an id, a name or a role. */
  instanceSelector?: string;
  /** Stops the batch before its next operation; the rest are reported as cancelled. */
  signal?: AbortSignal;
  /** Called after each operation that ran or failed its check, and once with (total, total) at the end. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * - `succeeded`, `failed`: the operation was checked and, if the check passed, run.
 * - `skipped`: not run because another operation of a transactional batch failed.
 * - `cancelled`: not run because the batch's AbortSignal fired.
 */
export type OperationStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface OperationError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export interface OperationReport {
  index: number;
  /** The action as sent, or null when it was not a string. */
  action: string | null;
  /** The path as sent, or null when it was absent, not a string or over 4096 characters. */
  scene_path: string | null;
  success: boolean;
  status: OperationStatus;
  result?: unknown;
  error?: OperationError;
  /** Time the operation ran; 0 for operations that did not run. */
  duration_ms: number;
  /** On succeeded loads and reloads of a stopped transactional batch: whether the rollback undid them. */
  rolled_back?: boolean;
}

/**
 * - `not_needed`: the batch succeeded, or no load or reload had succeeded before it stopped.
 * - `restored`: the scene that was current before the batch is current again.
 * - `failed`: restoring it failed, and `error` is the reason.
 */
export type RollbackStatus = 'not_needed' | 'restored' | 'failed';

export interface RollbackReport {
  status: RollbackStatus;
  /** The scene that was current before the batch, when the batch read it. */
  scene_path: string | null;
  result?: LoadResult;
  error?: OperationError;
  duration_ms: number;
}

export interface BatchResponse {
  success: true;
  mode: BatchMode;
  /** Id of the target instance, or null when none was connected. */
  instance: string | null;
  total: number;
  successful: number;
  /** Operations that were run or checked and failed. */
  failed: number;
  /** Operations that were not run: skipped or cancelled. */
  skipped: number;
  message: string;
  operations: OperationReport[];
  /** Transactional batches only. */
  rolled_back?: boolean;
  rollback?: RollbackReport;
}
