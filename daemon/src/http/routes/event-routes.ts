import { createSession } from 'better-sse';
import { Router, type Request } from 'express';
import { BridgeError } from '../../errors/catalogue.js';
import { eventNames, type EventName } from '../../events/event-bus.js';
import type { NumberedEvent } from '../../events/event-history.js';
import type { AppContext } from '../context.js';

/** GET /events: a Server-Sent Events stream of every event webhooks receive. */
export function eventRoutes(context: AppContext): Router {
  const router = Router();
  const history = context.eventHistory;

  router.get('/events', async (req, res) => {
    const filter = parseFilter(req);
    const lastId = parseLastEventId(req);
    const session = await createSession(req, res, {
      keepAlive: context.config.events.keepAliveMs,
      retry: 2000,
      trustClientEventId: false,
      headers: { 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
    });
    const wanted = (event: NumberedEvent) => filter === undefined || filter.has(event.event);
    const maxBacklog = context.config.events.maxClientBacklogBytes;
    const push = (event: NumberedEvent) => {
      if (!session.isConnected || !wanted(event)) return;
      // Node buffers what the socket cannot take yet without limit, so a client that
      // stopped reading is dropped. It can resume with Last-Event-ID.
      if (res.writableLength > maxBacklog) {
        req.log.warn(
          { backlogBytes: res.writableLength, maxBacklog, eventId: event.id },
          'event stream client stopped reading, disconnecting it',
        );
        res.destroy();
        return;
      }
      // The same fields and forms as a webhook payload, whose timestamp is ISO 8601.
      const timestamp = new Date(event.timestamp * 1000).toISOString();
      const payload = { event: event.event, timestamp, data: event.data };
      session.push(payload, event.event, String(event.id));
    };

    if (lastId !== undefined) {
      // Ids of an earlier run are below this run's first id, so they fall under the
      // gap check. An id above the newest one cannot be this run's either (the
      // clock was set back), and every buffered event is then new to the client.
      const fromEarlierRun = lastId > history.lastId;
      if (fromEarlierRun || lastId + 1 < history.oldestId) {
        // The client missed events that left the buffer, so report the gap, then send what remains.
        session.push(
          { missed_after: lastId, oldest_available: history.oldestId },
          'stream.gap',
          String(lastId),
        );
      }
      for (const event of history.since(fromEarlierRun ? 0 : lastId)) push(event);
    }
    const stop = history.listen(push);
    session.once('disconnected', () => {
      stop();
      req.log.debug('event stream client disconnected');
    });
    req.log.info({ filter: filter ? [...filter] : 'all', lastId }, 'event stream client connected');
  });

  return router;
}

function parseFilter(req: Request): Set<EventName> | undefined {
  const value = req.query.events;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new BridgeError(
      'VALIDATION_FAILED',
      'events must be one comma-separated list, such as ?events=scene.loaded,job.completed.',
    );
  }
  // A trailing or doubled comma leaves an empty entry, which names nothing.
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) {
    throw new BridgeError(
      'VALIDATION_FAILED',
      `?events=${value} names no event. Leave it out to receive every event, or list names such as scene.loaded,job.completed.`,
    );
  }
  const unknown = names.filter((name) => !(eventNames as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new BridgeError(
      'VALIDATION_FAILED',
      `Unknown event name ${unknown.map((n) => `"${n}"`).join(', ')} in ?events. Known names: ${eventNames.join(', ')}.`,
    );
  }
  return new Set(names as EventName[]);
}

function parseLastEventId(req: Request): number | undefined {
  const header = req.headers['last-event-id'];
  const value =
    typeof header === 'string'
      ? header
      : typeof req.query.last_event_id === 'string'
        ? req.query.last_event_id
        : undefined;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) {
    throw new BridgeError(
      'VALIDATION_FAILED',
      `Last-Event-ID "${value}" is not an event id; ids are whole numbers.`,
    );
  }
  return Number(value);
}
