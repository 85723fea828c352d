import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { BridgeError } from '../errors/catalogue.js';
import type { GodotInstance, InstanceInfo } from './instance.js';

/**
 * The connected Godot instances, and the rules that pick the target of a
 * command: the named one, or the only one connected.
 */
export class InstanceRegistry extends EventEmitter {
  private readonly instances = new Map<string, GodotInstance>();

  list(): GodotInstance[] {
    return [...this.instances.values()];
  }

  get size(): number {
    return this.instances.size;
  }

  /**
   * Returns a readable id that stays the same across reconnects of the same
   * instance: its role and a short hash of the identity in its hello.
   */
  allocateId(info: InstanceInfo): string {
    const base = this.baseId(info);
    let id = base;
    for (let n = 2; this.instances.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  /** Returns the id an instance gets when no other connected instance has its identity. */
  baseId(info: InstanceInfo): string {
    const identity = [info.role, info.projectName, info.name, info.platform].join('\u0000');
    return `${info.role}-${createHash('sha256').update(identity).digest('hex').slice(0, 4)}`;
  }

  /** Returns the connected instance with this id, if any. */
  get(id: string): GodotInstance | undefined {
    return this.instances.get(id);
  }

  add(instance: GodotInstance): void {
    this.instances.set(instance.id, instance);
    instance.once('closed', () => {
      if (this.instances.get(instance.id) === instance) {
        this.instances.delete(instance.id);
        this.emit('disconnected', instance);
      }
    });
    this.emit('connected', instance);
  }

  /**
   * Resolves the target instance, waiting up to `timeoutMs` for one to
   * connect when none matches yet (after a daemon restart the addon takes a
   * few seconds to reconnect). An ambiguous choice fails at once, and when the
   * wait ends without a match, the last error is raised with the wait named.
   */
  async waitForInstance(
    selector: string | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<GodotInstance> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      try {
        return this.resolve(selector);
      } catch (error) {
        const waitable =
          error instanceof BridgeError &&
          (error.code === 'NO_INSTANCE' || error.code === 'INSTANCE_NOT_FOUND');
        const remaining = deadline - Date.now();
        if (!waitable || remaining <= 0) {
          if (!waitable || timeoutMs === 0) throw error;
          throw new BridgeError(error.code, `${error.message} (waited ${timeoutMs} ms)`, {
            details: error.details,
          });
        }
        await this.nextConnection(remaining, signal);
      }
    }
  }

  private nextConnection(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.off('connected', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.on('connected', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Picks the target instance. `selector` is an id, a name from the Project
   * Settings, or a role when exactly one instance has it.
   */
  resolve(selector?: string): GodotInstance {
    const all = this.list();
    if (all.length === 0) {
      throw new BridgeError(
        'NO_INSTANCE',
        'No Godot instance is connected. Enable the godot_bridge plugin in the project and run ' +
          'the game or open the editor; the addon connects to this daemon on its own.',
      );
    }
    if (selector === undefined || selector === '') {
      if (all.length === 1) return all[0]!;
      throw new BridgeError(
        'AMBIGUOUS_INSTANCE',
        `${all.length} Godot instances are connected (${all.map((i) => i.id).join(', ')}). ` +
          'Choose one with ?instance=ID.',
        { details: { instances: all.map((i) => i.describe()) } },
      );
    }
    return this.find(selector, all);
  }

  private find(selector: string, all: GodotInstance[]): GodotInstance {
    const byId = this.instances.get(selector);
    if (byId) return byId;
    const byName = all.filter((i) => i.info.name !== '' && i.info.name === selector);
    if (byName.length === 1) return byName[0]!;
    const byRole = all.filter((i) => i.info.role === selector);
    if (byRole.length === 1) return byRole[0]!;
    if (byName.length > 1 || byRole.length > 1) {
      const matches = byName.length > 1 ? byName : byRole;
      throw new BridgeError(
        'AMBIGUOUS_INSTANCE',
        `"${selector}" matches ${matches.length} instances (${matches.map((i) => i.id).join(', ')}). ` +
          'Choose one by its id.',
        { details: { instances: matches.map((i) => i.describe()) } },
      );
    }
    throw new BridgeError(
      'INSTANCE_NOT_FOUND',
      `No connected Godot instance matches "${selector}". Connected: ${all.map((i) => i.id).join(', ')}.`,
      { details: { instances: all.map((i) => i.describe()) } },
    );
  }
}
