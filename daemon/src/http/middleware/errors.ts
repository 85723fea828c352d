import type { NextFunction, Request, Response } from 'express';
import { BridgeError } from '../../errors/catalogue.js';
import { routeDocs } from '../openapi/route-docs.js';

/** Each documented path as a pattern, with the methods it takes. */
const routeMethods = new Map<string, { pattern: RegExp; methods: string[] }>();
for (const route of routeDocs) {
  let entry = routeMethods.get(route.path);
  if (!entry) {
    const source = route.path
      .split('/')
      .map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : escapeRegExp(segment)))
      .join('/');
    entry = { pattern: new RegExp(`^${source}/?$`), methods: [] };
    routeMethods.set(route.path, entry);
  }
  const method = route.method.toUpperCase();
  entry.methods.push(...(method === 'GET' ? ['GET', 'HEAD'] : [method]));
}
const methodOrder = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];
for (const entry of routeMethods.values()) {
  entry.methods.sort((a, b) => methodOrder.indexOf(a) - methodOrder.indexOf(b));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Raises NOT_FOUND for an unknown route, or METHOD_NOT_ALLOWED with Allow for a known path. */
export function notFound(req: Request): never {
  const allowed = [...routeMethods.values()].find((entry) => entry.pattern.test(req.path))?.methods;
  if (allowed) {
    const allow = allowed.join(', ');
    throw new BridgeError(
      'METHOD_NOT_ALLOWED',
      `${req.method} ${req.path} is not supported; this path takes ${allow}.`,
      { headers: { Allow: allow } },
    );
  }
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
