import { BridgeError } from '../errors/catalogue.js';
import type { GodotInstance } from '../godot/instance.js';

/**
 * Runs a job's Godot work inside `instance.exclusive`, so its commands never
 * interleave with another job's or a batch's. While the work still waits for
 * its turn, an abort or a dropped link rejects at once, so a cancelled job or
 * one whose instance went away does not wait behind other work. Once the work
 * has started, it handles the signal itself.
 */
export function runExclusive<T>(
  instance: GodotInstance,
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    let started = false;
    const onAbort = () => {
      if (started) return;
      cleanup();
      reject(signal.reason);
    };
    const onClosed = () => {
      if (started) return;
      cleanup();
      reject(
        new BridgeError(
          'GODOT_DISCONNECTED',
          `The link to Godot instance ${instance.id} dropped before the job's turn came. ` +
            'Submit the job again once the instance has reconnected.',
          { details: { instance: instance.id } },
        ),
      );
    };
    const cleanup = () => {
      signal.removeEventListener('abort', onAbort);
      instance.off('closed', onClosed);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    instance.once('closed', onClosed);
    if (!instance.isOpen) onClosed();

    instance
      .exclusive(async () => {
        if (signal.aborted || !instance.isOpen) return undefined;
        started = true;
        return work();
      })
      .then(
        (value) => {
          cleanup();
          resolve(value as T);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
  });
}
