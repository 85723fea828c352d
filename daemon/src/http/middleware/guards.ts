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

/**
 * Requires the pairing token as a bearer token. Failures answer 401 with
 * `WWW-Authenticate: Bearer` and publish `auth.failed`.
 */
export function bearerAuth(token: string, events: EventBus, isPublic: (req: Request) => boolean) {
  const matcher = new TokenMatcher(token);
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (isPublic(req)) return next();
    const presented = bearerToken(req.headers.authorization);
    if (matcher.matches(presented)) return next();

    const reason = presented === undefined ? 'missing' : 'wrong';
    req.log.info({ reason, path: req.path }, 'authentication failed');
    events.publish('auth.failed', { reason, method: req.method, path: req.path, ip: req.ip });
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
