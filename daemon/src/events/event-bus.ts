import { EventEmitter } from 'node:events';

/** Every event name that webhooks and the event stream can receive. */
export const eventNames = [
  'scene.loaded',
  'scene.failed',
  'scene.validated',
  'scene.reloaded',
  'auth.failed',
  'rate_limit.exceeded',
  'job.started',
  'job.completed',
  'job.failed',
  'job.cancelled',
  'ping',
] as const;

export type EventName = (typeof eventNames)[number];

export interface BridgeEvent {
  event: EventName;
  /** Unix time in seconds. */
  timestamp: number;
  data: Record<string, unknown>;
}

/**
 * The daemon's in-process event bus. Services publish what happened; the
 * webhook outbox and the event stream subscribe. Publishing never throws
 * into the publisher: a failing listener is reported through `listenerError`.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor(private readonly now: () => number = Date.now) {
    this.emitter.setMaxListeners(100);
  }

  publish(event: EventName, data: Record<string, unknown>): BridgeEvent {
    const entry: BridgeEvent = { event, timestamp: Math.floor(this.now() / 1000), data };
    for (const listener of this.emitter.listeners('event')) {
      try {
        (listener as (e: BridgeEvent) => void)(entry);
      } catch (error) {
        this.emitter.emit('listenerError', error, entry);
      }
    }
    return entry;
  }

  subscribe(listener: (event: BridgeEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  onListenerError(listener: (error: unknown, event: BridgeEvent) => void): void {
    this.emitter.on('listenerError', listener);
  }
}
