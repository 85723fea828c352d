import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { BridgeError } from '../errors/catalogue.js';
import type { EventBus } from '../events/event-bus.js';
import { bearerToken } from './token.js';

export interface RateLimitOptions {
  /** Name of the limited route in events and logs, such as "POST /batch". */
  route: string;
  /** Requests a client may send per window. */
  limit: number;
  /** Length of the fixed window, in milliseconds. */
  windowMs: number;
  events: EventBus;
  /** The client a request counts against; by default a hash of its bearer token. */
  clientKey?: (req: Request) => string;
}

/**
 * Creates an express middleware that allows `limit` requests per client in
 * each fixed window of `windowMs` (rate-limiter-flexible's RateLimiterMemory).
 * Every response it passes or rejects carries the IETF RateLimit-Limit,
 * RateLimit-Remaining and RateLimit-Reset headers. A client over the limit
 * gets 429 RATE_LIMITED with Retry-After, and `rate_limit.exceeded` is published.
 * Mount it after authentication, so that only known clients are counted.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const { route, limit, windowMs, events } = options;
  const limiter = new RateLimiterMemory({ points: limit, duration: windowMs / 1000 });
  const clientKey = options.clientKey ?? tokenClientKey;

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = clientKey(req);
    let state: RateLimiterRes;
    let allowed = true;
    try {
      state = await limiter.consume(key);
    } catch (rejection) {
      // The memory store rejects with the window's state. Anything else is a real failure.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      state = rejection;
      allowed = false;
    }

    const resetSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(state.remainingPoints));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (allowed) return next();

    const windowSeconds = Math.ceil(windowMs / 1000);
    const client = key.slice(0, 12);
    req.log.info({ route, client, retryAfter: resetSeconds }, 'rate limit exceeded');
    events.publish('rate_limit.exceeded', {
      route,
      client,
      limit,
      window: windowSeconds,
      retry_after: resetSeconds,
    });
    throw new BridgeError(
      'RATE_LIMITED',
      `Too many requests to ${route}: the limit is ${limit} per ${windowSeconds} s for each ` +
        `token. Retry after ${resetSeconds} s, or combine the work into fewer requests.`,
      {
        details: { limit, window_seconds: windowSeconds, retry_after: resetSeconds },
        headers: { 'Retry-After': String(resetSeconds) },
      },
    );
  };
}

/**
 * Derives the client key of a request: the SHA-256 of its bearer token in hex, so that
 * clients behind one address count apart and the token itself is not kept.
 * A request without a token counts under its remote address.
 */
export function tokenClientKey(req: Request): string {
  const token = bearerToken(req.headers.authorization);
  const identity = token ?? `address:${req.ip ?? ''}`;
  return createHash('sha256').update(identity).digest('hex');
}
