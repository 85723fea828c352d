import express, { type NextFunction, type Request, type Response } from 'express';
import { BridgeError } from '../../errors/catalogue.js';
import { describeSchemaErrors, type SchemaRegistry } from '../../schemas/registry.js';

/**
 * Parses JSON bodies up to the limit and turns the parser's failures into the
 * shared error shape: 413 for size, 400 with the parser's message for syntax.
 */
export function jsonBody(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, strict: false, type: () => true });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    const type = req.headers['content-type'];
    if (type !== undefined && !/^application\/(.+\+)?json\b/i.test(type)) {
      throw new BridgeError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type "${type}" is not supported; send the body as application/json.`,
      );
    }
    parse(req, res, (error?: unknown) => {
      if (error) return next(translateParseError(error, limitBytes));
      next();
    });
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function translateParseError(error: unknown, limitBytes: number): unknown {
  const typed = error as { type?: string; message?: string };
  if (typed.type === 'entity.too.large') {
    return new BridgeError(
      'BODY_TOO_LARGE',
      `The request body is larger than ${limitBytes} bytes. Split the work into smaller requests.`,
      { details: { limit_bytes: limitBytes } },
    );
  }
  if (typed.type === 'entity.parse.failed') {
    return new BridgeError('INVALID_JSON', `The request body is not valid JSON: ${typed.message}.`);
  }
  return error;
}

/** Validates the parsed body against a schema of schemas/ before the handler runs. */
export function validateBody(schemas: SchemaRegistry, schemaId: string) {
  const validate = schemas.validator(schemaId);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const body = req.body === undefined ? {} : req.body;
    if (!validate(body)) {
      const problems = describeSchemaErrors(validate.errors);
      throw new BridgeError('VALIDATION_FAILED', `Invalid request body: ${problems.join('; ')}.`, {
        details: { problems },
      });
    }
    req.body = body;
    next();
  };
}
