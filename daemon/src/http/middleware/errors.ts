import type { NextFunction, Request, Response } from 'express';
import { BridgeError } from '../../errors/catalogue.js';

/** Answers unknown routes with the shared error shape. */
export function notFound(req: Request): never {
  throw new BridgeError(
    'NOT_FOUND',
    `No route ${req.method} ${req.path}. GET /openapi.json lists every route.`,
  );
}

/** Writes every error in the shared shape; unexpected ones become 500 and are logged. */
export function errorHandler(
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (res.headersSent) return next(error);
  const bridgeError = error instanceof BridgeError ? error : unexpected(error, req);
  for (const [name, value] of Object.entries(bridgeError.headers ?? {})) res.setHeader(name, value);
  res.status(bridgeError.status).json(bridgeError.toBody());
}

function unexpected(error: unknown, req: Request): BridgeError {
  req.log.error({ err: error }, 'unexpected error in request');
  return new BridgeError(
    'INTERNAL_ERROR',
    'The daemon failed unexpectedly; its log has the details.',
    {
      details: { request_id: req.id },
    },
  );
}
