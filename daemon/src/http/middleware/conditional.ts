import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { BridgeError } from '../../errors/catalogue.js';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Modification time of the resource, sent as Last-Modified when set. */
    lastModified?: Date;
  }
}

/** Strong entity tag of a representation: the SHA-256 of its bytes. */
export function entityTag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/** Splits an If-Match or If-None-Match value into its entity tags. */
export function parseEntityTags(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

const opaque = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/**
 * Checks whether If-None-Match matches the current tag. RFC 9110 13.1.2 uses the
 * weak comparison here, so `W/"x"` matches `"x"`; `*` matches any
 * representation.
 */
export function noneMatchHits(header: string, current: string): boolean {
  const tags = parseEntityTags(header);
  if (tags.includes('*')) return true;
  return tags.some((tag) => opaque(tag) === opaque(current));
}

/**
 * Checks whether If-Match is satisfied. RFC 9110 13.1.1 uses the strong comparison,
 * so a weak tag never matches; `*` matches when the resource exists.
 */
export function ifMatchSatisfied(header: string, current: string | undefined): boolean {
  const tags = parseEntityTags(header);
  if (current === undefined) return false;
  if (tags.includes('*')) return true;
  return tags.some((tag) => !tag.startsWith('W/') && tag === current);
}

/**
 * Adds a strong ETag, Cache-Control and Last-Modified to every successful GET
 * that returns JSON, and responds 304 without a body when If-None-Match
 * matches.
 */
export function conditionalGet(maxAgeSeconds: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const isJson = String(res.getHeader('content-type') ?? '').startsWith('application/json');
      if (
        res.statusCode !== 200 ||
        !isJson ||
        (typeof body !== 'string' && !Buffer.isBuffer(body))
      ) {
        return send(body);
      }
      const tag = entityTag(body);
      res.setHeader('ETag', tag);
      // A route whose data changes from second to second sets its own, such as no-cache.
      if (!res.hasHeader('Cache-Control')) {
        res.setHeader('Cache-Control', `private, max-age=${maxAgeSeconds}`);
      }
      if (res.locals.lastModified)
        res.setHeader('Last-Modified', res.locals.lastModified.toUTCString());
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifNoneMatch !== undefined && noneMatchHits(ifNoneMatch, tag)) {
        res.removeHeader('Content-Type');
        res.removeHeader('Content-Length');
        res.status(304);
        return send();
      }
      return send(body);
    };
    next();
  };
}

/**
 * Checks If-Match against the current representation's tag before a change.
 * Raises PRECONDITION_FAILED when a tool edits a stale copy.
 */
export function checkIfMatch(req: Request, currentBody: unknown): void {
  const header = req.headers['if-match'];
  if (header === undefined) return;
  const current = entityTag(JSON.stringify(currentBody));
  if (ifMatchSatisfied(header, current)) return;
  throw new BridgeError(
    'PRECONDITION_FAILED',
    `If-Match ${header} does not match the current version ${current}. ` +
      'Fetch the resource again, reapply your change and retry.',
    { details: { current_etag: current } },
  );
}
