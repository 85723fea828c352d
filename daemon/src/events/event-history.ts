import type { BridgeEvent, EventBus } from './event-bus.js';

/** An event with the sequence number the event stream sends as its id. */
export interface NumberedEvent extends BridgeEvent {
  id: number;
}

/**
 * Numbers every event of the bus and keeps the most recent ones, so a client
 * of the event stream that reconnects with Last-Event-ID misses nothing that
 * is still in the buffer.
 */
export class EventHistory {
  // A ring buffer: `start` is the index of the oldest event once it is full.
  private readonly buffer: NumberedEvent[] = [];
  private start = 0;
  private readonly listeners = new Set<(event: NumberedEvent) => void>();
  private nextId: number;
  private readonly unsubscribe: () => void;

  /**
   * Ids start at the start time in milliseconds times 1,000. So every id of this
   * run is above every id an earlier run gave out, unless that run sent over a
   * million events a second or the clock was set back. A client that resumes
   * with an id from before a restart is then told of the gap.
   */
  constructor(
    bus: EventBus,
    private readonly capacity: number,
    now: () => number = Date.now,
  ) {
    this.nextId = now() * 1000 + 1;
    this.firstId = this.nextId;
    this.unsubscribe = bus.subscribe((event) => this.record(event));
  }

  /** Id of the first event of this run. */
  readonly firstId: number = 0;

  /** Id of the oldest event still buffered, or the next id when empty. */
  get oldestId(): number {
    return this.buffer[this.start]?.id ?? this.nextId;
  }

  get lastId(): number {
    return this.nextId - 1;
  }

  /** Buffered events with an id above `afterId`, oldest first. */
  since(afterId: number): NumberedEvent[] {
    const ordered = [...this.buffer.slice(this.start), ...this.buffer.slice(0, this.start)];
    return ordered.filter((event) => event.id > afterId);
  }

  /** Number of event stream clients listening. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  listen(listener: (event: NumberedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private record(event: BridgeEvent): void {
    const numbered: NumberedEvent = { ...event, id: this.nextId++ };
    if (this.buffer.length < this.capacity) {
      this.buffer.push(numbered);
    } else {
      this.buffer[this.start] = numbered;
      this.start = (this.start + 1) % this.capacity;
    }
    for (const listener of this.listeners) listener(numbered);
  }
}
