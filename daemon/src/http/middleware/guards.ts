import type { NextFunction, Request, Response } from 'express';
import { BridgeError } from '../../errors/catalogue.js';
import type { EventBus } from '../../events/event-bus.js';
import type { HostCheck } from '../../security/host-check.js';
import { bearerToken, TokenMatcher } from '../../security/token.js';

/** Rejects requests whose Host or Origin header names another site. */
export function hostGuard(check: HostCheck) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = req.headers.host;
    if (!check.hostAllowed(host)) {
      throw new BridgeError(
        'HOST_NOT_ALLOWED',
        `Host "${host ?? ''}" does not name this daemon. Use 127.0.0.1:${check.port} or ` +
          `localhost:${check.port}, or add the name to allowedHosts in godot-bridge.json.`,
      );
    }
    const origin = req.headers.origin;
    if (!check.originAllowed(origin)) {
      throw new BridgeError(
        'ORIGIN_NOT_ALLOWED',
        `Requests from web pages of ${origin} are not allowed. Add the origin to allowedOrigins in ` +
          'godot-bridge.json if that page is yours.',
      );
    }
    next();
  };
}

/** Most `auth.failed` events and log lines per window; the rest are counted. */
export const authFailureReportLimit = 20;
const authFailureWindowMs = 60_000;

/**
 * Requires the pairing token as a bearer token. Failures get 401 with
 * `WWW-Authenticate: Bearer` and publish `auth.failed`. Anyone can cause a
 * failure, so at most `authFailureReportLimit` of them a minute become events
 * and log lines; the next one reported carries the count of those skipped, and
 * a flood of bad tokens cannot fill the webhook outbox.
 */
export function bearerAuth(
  token: string,
  events: EventBus,
  isPublic: (req: Request) => boolean,
  now: () => number = Date.now,
) {
  const matcher = new TokenMatcher(token);
  let windowStart = 0;
  let reported = 0;
  let skipped = 0;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (isPublic(req)) return next();
    const presented = bearerToken(req.headers.authorization);
    if (matcher.matches(presented)) return next();

    const reason = presented === undefined ? 'missing' : 'wrong';
    if (now() - windowStart >= authFailureWindowMs) {
      windowStart = now();
      reported = 0;
    }
    if (reported < authFailureReportLimit) {
      reported++;
      req.log.info({ reason, path: req.path, skipped }, 'authentication failed');
      const data = { reason, method: req.method, path: req.path, ip: req.ip, skipped };
      skipped = 0;
      events.publish('auth.failed', data);
    } else {
      skipped++;
    }
    throw new BridgeError(
      'UNAUTHORIZED',
      reason === 'missing'
        ? 'This endpoint needs the pairing token: send "Authorization: Bearer TOKEN". ' +
            '`godot-bridge token` prints it.'
        : 'The bearer token is wrong. `godot-bridge token` prints the current one.',
      { headers: { 'WWW-Authenticate': 'Bearer realm="godot-bridge"' } },
    );
  };
}
