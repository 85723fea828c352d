import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logging/logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

/** Gives each request an id and a child logger, and logs its outcome. */
export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const id = randomUUID();
    req.id = id;
    // The child logger is made on first use: most requests log nothing at info.
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      get: () => (child ??= log.child({ requestId: id })),
    });
    res.setHeader('X-Request-ID', req.id);
    res.on('finish', () => {
      const fields = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (res.statusCode >= 500) req.log.error(fields, 'request failed');
      else if (log.isLevelEnabled('debug')) req.log.debug(fields, 'request done');
    });
    next();
  };
}
