import type { Logger } from '../logging/logger.js';

/** The context the queue passes to a running job. */
export interface JobContext {
  id: string;
  /** Aborted when the job is cancelled or the daemon stops; runners stop at their next step. */
  signal: AbortSignal;
  /**
   * Records the fraction of the work done, from 0 to 1. Values lower than
   * the last one are ignored.
   */
  reportProgress(fraction: number): void;
  log: Logger;
}

/** One job type: how its parameters are checked and how it runs. */
export interface JobDefinition<P = Record<string, unknown>> {
  type: string;
  /** Schema id under schemas/ that the parameters must match, such as `http/job-scene-preload`. */
  schemaId?: string;
  /**
   * Checks that a schema cannot express, run before the job is stored. Raises
   * a BridgeError naming the field.
   */
  check?(parameters: P): void;
  /** Seconds a client should wait between polls, sent as Retry-After. */
  pollIntervalSeconds: number;
  /** Runs the job and resolves with its result, stored as JSON. */
  run(parameters: P, context: JobContext): Promise<unknown>;
}
