import { BridgeError } from '../../errors/catalogue.js';
import type { JobDefinition } from '../job-definition.js';

export interface BatchOperationsParameters {
  operations: Array<Record<string, unknown>>;
  mode?: string;
  /** Instance selector, as `?instance=` takes it. */
  instance?: string;
}

/** The part of the batch service a batch_operations job uses. */
export interface BatchRunner {
  run(
    request: { operations: Array<Record<string, unknown>>; mode?: string },
    options: {
      instanceSelector?: string;
      signal: AbortSignal;
      onProgress: (done: number, total: number) => void;
    },
  ): Promise<unknown>;
}

/**
 * `batch_operations`: runs a batch in the background, with the semantics of
 * POST /batch; the result is the batch response. The batch service holds the
 * instance to itself for the whole batch, so this runner does not wrap it in
 * `instance.exclusive` again.
 */
export function batchOperationsJob(
  batch: BatchRunner | undefined,
): JobDefinition<BatchOperationsParameters> {
  return {
    type: 'batch_operations',
    schemaId: 'http/job-batch-operations',
    pollIntervalSeconds: 1,
    async run(parameters, context) {
      if (!batch) {
        throw new BridgeError(
          'SERVICE_UNAVAILABLE',
          'The batch service is not available in this build of the daemon, so ' +
            'batch_operations jobs cannot run. Submit scene_preload or cache_warming jobs, or ' +
            'upgrade the daemon.',
        );
      }
      const { instance, ...request } = parameters;
      return batch.run(request, {
        instanceSelector: instance,
        signal: context.signal,
        onProgress: (done, total) => context.reportProgress(total === 0 ? 1 : done / total),
      });
    },
  };
}
