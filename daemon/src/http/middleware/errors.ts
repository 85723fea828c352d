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
  const bridgeError =
    error instanceof BridgeError ? error : (clientError(error, req) ?? unexpected(error, req));
  for (const [name, value] of Object.entries(bridgeError.headers ?? {})) res.setHeader(name, value);
  res.status(bridgeError.status).json(bridgeError.toBody());
}

/**
 * Converts the 4xx errors raised by express and its body parser into the
 * shared shape, so that the client gets a 4xx status rather than 500. They
 * come from broken percent-encoding in the URL, an unknown charset or
 * Content-Encoding, or a body that fails to decompress.
 */
function clientError(error: unknown, req: Request): BridgeError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, message } = error as { status?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const text = typeof message === 'string' ? message : 'the request could not be read';
  req.log.info({ status, reason: text }, 'request rejected by the HTTP layer');
  if (status === 413) {
    return new BridgeError('BODY_TOO_LARGE', `The request body is too large: ${text}.`);
  }
  if (status === 415) {
    return new BridgeError(
      'UNSUPPORTED_MEDIA_TYPE',
      `The request body cannot be decoded: ${text}. Send it as UTF-8 application/json, ` +
        'uncompressed or with gzip, deflate or br Content-Encoding.',
    );
  }
  return new BridgeError(
    'VALIDATION_FAILED',
    `The request is invalid: ${text}. Check the URL's percent-encoding and the body's encoding.`,
  );
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
