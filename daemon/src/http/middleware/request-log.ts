import { randomUUID } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logging/logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    /** Child logger carrying the request id, made on first use. */
    log: Logger;
  }
}

/** Receives every finished request with its duration in seconds. */
export type RequestObserver = (req: Request, res: Response, seconds: number) => void;

/**
 * Gives each request an id and a child logger, logs failed requests, and
 * reports every finished request to `observe` (the metrics). One `finish`
 * listener serves both, so each request pays for one.
 */
export function requestLog(app: Express, log: Logger, observe?: RequestObserver) {
  // The child logger is a getter on express's request prototype, so requests
  // that log nothing never build one and no request object changes shape.
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request & { childLog?: Logger }): Logger {
      this.childLog ??= log.child({ requestId: this.id });
      return this.childLog;
    },
  });
  const debug = log.isLevelEnabled('debug');

  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    req.id = randomUUID();
    res.setHeader('X-Request-ID', req.id);
    res.on('finish', () => {
      const milliseconds = performance.now() - started;
      observe?.(req, res, milliseconds / 1000);
      if (res.statusCode < 500 && !debug) return;
      const fields = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(milliseconds * 100) / 100,
      };
      if (res.statusCode >= 500) req.log.error(fields, 'request failed');
      else req.log.debug(fields, 'request done');
    });
    next();
  };
}
