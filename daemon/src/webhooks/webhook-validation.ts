import { BridgeError } from '../errors/catalogue.js';
import { eventNames } from '../events/event-bus.js';
import { secretProblem } from './signing.js';

/** The event filter that matches every event. */
export const allEvents = '*';

/** Checks a receiver URL: absolute http or https, without credentials. */
export function checkWebhookUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('url', value, `url "${value}" is not an absolute URL; send http://host/path`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(
      'url',
      value,
      `url "${value}" uses ${url.protocol.slice(0, -1)}; only http and https URLs can receive webhooks`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    // The password is masked so that the error does not echo it back.
    if (url.password !== '') url.password = '***';
    throw invalid(
      'url',
      url.toString(),
      `url "${url.toString()}" contains credentials; remove them and verify deliveries ` +
        'with the signature headers instead',
    );
  }
  return url.toString();
}

/** Checks an event filter: known names or `*`, at least one, duplicates removed. */
export function checkEvents(events: string[]): string[] {
  if (events.length === 0) {
    throw invalid(
      'events',
      events,
      `events is empty; list at least one of ${eventNames.join(', ')}, or "${allEvents}" for all`,
    );
  }
  const known = new Set<string>([...eventNames, allEvents]);
  for (const event of events) {
    if (!known.has(event)) {
      throw invalid(
        'events',
        event,
        `unknown event "${event}"; known events are ${eventNames.join(', ')}, ` +
          `and "${allEvents}" for all`,
      );
    }
  }
  return [...new Set(events)];
}

export function checkSecret(secret: string): string {
  const problem = secretProblem(secret);
  // The value is not echoed: it is a secret even when malformed.
  if (problem)
    throw new BridgeError('INVALID_WEBHOOK', `Invalid webhook secret: ${problem}.`, {
      details: { field: 'secret' },
    });
  return secret;
}

/** Tells whether a webhook with this event filter receives the event. */
export function subscribes(events: readonly string[], event: string): boolean {
  return events.includes(allEvents) || events.includes(event);
}

function invalid(field: string, value: unknown, message: string): BridgeError {
  return new BridgeError('INVALID_WEBHOOK', `Invalid webhook ${field}: ${message}.`, {
    details: { field, value },
  });
}
