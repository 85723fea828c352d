import type { Request } from 'express';
import { BridgeError } from '../errors/catalogue.js';

/** Reads a query parameter that may be given at most once. */
export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badQuery(name, String(value), 'given once');
  return value;
}

/**
 * Reads a whole-number query parameter from `min` to `max`, or returns
 * `fallback` when the parameter is absent.
 */
export function integerQuery(
  req: Request,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = queryString(req, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw badQuery(name, raw, `an integer from ${min} to ${max}`);
  }
  return value;
}

/** Returns the `?instance=` selector if the caller gave one, and rejects one given twice. */
export function instanceParam(req: Request): string | undefined {
  const value = req.query.instance;
  if (value === undefined || typeof value === 'string') return value;
  throw new BridgeError(
    'VALIDATION_FAILED',
    'The instance query parameter was given more than once. Give one id, name or role.',
  );
}

/** Builds the error for an invalid query parameter, naming the value and what it must be. */
export function badQuery(name: string, value: string, expected: string): BridgeError {
  return new BridgeError(
    'VALIDATION_FAILED',
    `Query parameter ${name}=${JSON.stringify(value)} is invalid; it must be ${expected}.`,
    { details: { field: name } },
  );
}
