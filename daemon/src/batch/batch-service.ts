import type { BridgeConfig } from '../config/defaults.js';
import { BridgeError } from '../errors/catalogue.js';
import type { GodotInstance } from '../godot/instance.js';
import type { InstanceRegistry } from '../godot/instance-registry.js';
import type { Logger } from '../logging/logger.js';
import type { SceneAllowList } from '../scenes/scene-path.js';
import type { SceneService } from '../scenes/scene-service.js';
import type { SchemaRegistry } from '../schemas/registry.js';
import {
  checkOperation,
  failedReport,
  parseBatchRequest,
  type CheckedOperation,
} from './batch-request.js';
import { BatchRun } from './batch-run.js';
import type { BatchResponse, BatchRunOptions } from './batch-types.js';

export interface BatchServiceOptions {
  config: Readonly<BridgeConfig>;
  registry: InstanceRegistry;
  scenes: SceneService;
  schemas: SchemaRegistry;
  allowList: SceneAllowList;
  log: Logger;
  /** Whether the daemon has the static pass, so that validate works with no instance. */
  staticValidation: boolean;
}

/**
 * Runs batches of scene operations on one Godot instance, for POST /batch
 * and for queued jobs. A batch keeps the instance's exclusive turn for its
 * whole run, so its commands never interleave with another batch's.
 */
export class BatchService {
  private readonly log: Logger;
  /** Callbacks to run when an instance's link closes, one listener per instance. */
  private readonly closeWaiters = new WeakMap<GodotInstance, Set<() => void>>();

  constructor(private readonly options: BatchServiceOptions) {
    this.log = options.log.child({ component: 'batch' });
  }

  /**
   * Checks and runs a batch. Raises VALIDATION_FAILED for a bad envelope,
   * AMBIGUOUS_INSTANCE or INSTANCE_NOT_FOUND for a selector that picks no
   * single instance, and the read error when a transactional batch cannot
   * read the current scene. Every other failure is reported per operation.
   */
  async run(request: unknown, options: BatchRunOptions = {}): Promise<BatchResponse> {
    const started = performance.now();
    const { mode, operations } = parseBatchRequest(
      this.options.schemas,
      request,
      this.options.config.batch.maxOperations,
    );
    const instance = this.target(options.instanceSelector);
    const checked = operations.map((operation, index) => this.check(operation, index, instance));
    const batch = new BatchRun({
      mode,
      checked,
      instance,
      scenes: this.options.scenes,
      // NOTE: until the static pass is wired in, validate runs only the live pass.
      validationMode: this.options.staticValidation ? undefined : 'live',
      log: this.log,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    this.log.debug({ mode, total: operations.length, instance: instance?.id }, 'batch started');

    const response = instance
      ? await this.inTurn(instance, () => batch.execute(), options.signal)
      : await batch.execute();
    this.log.info(
      {
        mode,
        instance: response.instance,
        total: response.total,
        successful: response.successful,
        failed: response.failed,
        skipped: response.skipped,
        rolledBack: response.rolled_back,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      },
      'batch finished',
    );
    return response;
  }

  /** Resolves the target instance. With none connected it returns undefined, and operations fail one by one. */
  private target(selector: string | undefined): GodotInstance | undefined {
    if (this.options.registry.size === 0) return undefined;
    return this.options.registry.resolve(selector === '' ? undefined : selector);
  }

  private check(value: unknown, index: number, instance?: GodotInstance): CheckedOperation {
    const checked = checkOperation(value, index, this.options.schemas, this.options.allowList);
    if (!checked.ok || instance || !this.needsInstance(checked.operation.action)) return checked;

    const { action } = checked.operation;
    const reason =
      action === 'validate'
        ? 'validation runs in Godot because this daemon has no static validator'
        : `${action} runs in Godot`;
    const error = new BridgeError(
      'NO_INSTANCE',
      `Operation ${index} (${action}) needs a connected Godot instance: ${reason}, and none ` +
        'is connected. Enable the godot_bridge plugin and run the game or open the editor.',
    );
    return { ok: false, report: failedReport(index, value, error) };
  }

  private needsInstance(action: string): boolean {
    return action !== 'validate' || !this.options.staticValidation;
  }

  /**
   * Runs `work` in the instance's exclusive queue. When the link drops, the
   * instance clears that queue, and a batch waiting in it would never settle.
   * So a drop or an abort while waiting starts `work` at once. It then finds
   * the link closed or the signal fired, and reports that per operation.
   */
  private inTurn<T>(
    instance: GodotInstance,
    work: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let started = false;
      const begin = (): boolean => {
        if (started) return false;
        started = true;
        stopWaitingForClose();
        signal?.removeEventListener('abort', startNow);
        return true;
      };
      const startNow = () => {
        if (begin()) work().then(resolve, reject);
      };
      const stopWaitingForClose = this.onClose(instance, startNow);
      signal?.addEventListener('abort', startNow, { once: true });

      void instance.exclusive(async () => {
        if (!begin()) return;
        await work().then(resolve, reject);
      });
    });
  }

  private onClose(instance: GodotInstance, callback: () => void): () => void {
    let waiters = this.closeWaiters.get(instance);
    if (!waiters) {
      const created = new Set<() => void>();
      instance.once('closed', () => {
        for (const waiter of [...created]) waiter();
      });
      this.closeWaiters.set(instance, created);
      waiters = created;
    }
    waiters.add(callback);
    return () => waiters.delete(callback);
  }
}
