import type { InstanceRegistry } from '../../godot/instance-registry.js';
import { parseBatchRequest } from '../../batch/batch-request.js';
import type { BatchService } from '../../batch/batch-service.js';
import type { BatchMode } from '../../batch/batch-types.js';
import type { SchemaRegistry } from '../../schemas/registry.js';
import type { JobDefinition } from '../job-definition.js';

export interface BatchOperationsParameters {
  operations: unknown[];
  mode?: BatchMode;
  /** Instance selector, as `?instance=` takes it. */
  instance?: string;
}

export interface BatchOperationsDependencies {
  batch: Pick<BatchService, 'run'>;
  schemas: SchemaRegistry;
  /** The batch.maxOperations setting. */
  maxOperations: number;
  registry: InstanceRegistry;
  /** How long a job waits for a Godot instance to connect (the jobs.instanceWaitMs setting). */
  instanceWaitMs: number;
}

/**
 * `batch_operations`: runs a batch in the background, with the semantics of
 * POST /batch, and stores the batch response as the result. The batch
 * service keeps the instance's exclusive turn for the whole batch, so this
 * runner does not wrap it in `instance.exclusive` again.
 */
export function batchOperationsJob(
  deps: BatchOperationsDependencies,
): JobDefinition<BatchOperationsParameters> {
  return {
    type: 'batch_operations',
    schemaId: 'http/job-batch-operations',
    pollIntervalSeconds: 1,
    check(parameters) {
      // The envelope is checked before the job is stored, as POST /batch checks it before it
      // runs. Each operation is checked when the batch runs and fails on its own.
      parseBatchRequest(deps.schemas, withoutInstance(parameters), deps.maxOperations);
    },
    async run(parameters, context) {
      // Wait for Godot to connect, so a batch queued before a daemon restart does
      // not fail while the addon is still reconnecting. Validation alone can run
      // statically, so it does not wait. When the wait ends without an instance,
      // the batch reports NO_INSTANCE per operation as POST /batch does.
      const operations = Array.isArray(parameters.operations) ? parameters.operations : [];
      const needsGodot = operations.some(
        (operation) => (operation as { action?: unknown }).action !== 'validate',
      );
      if (needsGodot) {
        await deps.registry
          .waitForInstance(parameters.instance, deps.instanceWaitMs, context.signal)
          .catch(() => undefined);
      }
      return deps.batch.run(withoutInstance(parameters), {
        instanceSelector: parameters.instance,
        signal: context.signal,
        onProgress: (done, total) => context.reportProgress(total === 0 ? 1 : done / total),
      });
    },
  };
}

function withoutInstance(
  parameters: BatchOperationsParameters,
): Omit<BatchOperationsParameters, 'instance'> {
  const request: Omit<BatchOperationsParameters, 'instance'> = {
    operations: parameters.operations,
  };
  if (parameters.mode !== undefined) request.mode = parameters.mode;
  return request;
}
