import { randomUUID } from 'node:crypto';
import { CommonError } from '../errors/domain-error';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** First middleware: one request id (the client's X-Request-Id if sane, else a UUID) for logs, errors, audit. */
export function requestIdMiddleware(req: Request & { id?: string }, res: Response, next: NextFunction): void {
  const given = req.header('x-request-id');
  req.id = given && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
}

/**
 * Right after the body parsers: turns their errors into our own codes before Nest maps them (Nest would keep only
 * a bare 400 for bad JSON). The global filter then writes the common error body.
 */
export function bodyParserErrorMiddleware(
  error: unknown,
  _req: Request,
  _res: Response,
  next: NextFunction,
): void {
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return next(new CommonError('MALFORMED_JSON'));
  if (type === 'entity.too.large') return next(new CommonError('PAYLOAD_TOO_LARGE'));
  if (type && (error as { status?: number }).status === 400) {
    return next(new CommonError('VALIDATION_FAILED', 'The request body could not be read'));
  }
  if ((error as { status?: number } | null)?.status === 415) {
    return next(new CommonError('VALIDATION_FAILED', 'Unsupported body encoding'));
  }
  next(error);
}
