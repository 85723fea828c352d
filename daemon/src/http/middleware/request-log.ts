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
    req.id = randomUUID();
    req.log = log.child({ requestId: req.id });
    res.setHeader('X-Request-ID', req.id);
    res.on('finish', () => {
      const fields = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (res.statusCode >= 500) req.log.error(fields, 'request failed');
      else req.log.debug(fields, 'request done');
    });
    next();
  };
}
