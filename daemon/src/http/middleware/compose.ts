import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs several middleware functions as one express layer. Every request
 * passes the same guards, and one layer costs the router less than one per
 * guard on each request.
 */
export function compose(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) return next(error);
      const handler = handlers[index++];
      if (!handler) return next();
      try {
        void handler(req, res, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
