import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { DEPENDENCY_RETRY_AFTER_S, dependencyUnavailable, unavailableDependency } from './dependency-errors';
import { DomainError } from './domain-error';

/** The one error body the API ever sends. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** Errors raised by body-parser / multer before a route runs carry `status` and `type`. */
interface ParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
}

function zodDetails(error: ZodError) {
  return error.issues.map((i) => ({
    path: i.path.join('.'),
    message: i.message,
    ...('keys' in i ? { keys: i.keys } : {}),
  }));
}

function zodMessage(error: ZodError): string {
  const unknown = error.issues.flatMap((i) => ('keys' in i && i.code === 'unrecognized_keys' ? i.keys : []));
  if (unknown.length) return `Unknown field(s): ${unknown.join(', ')}`;
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'The request is not valid';
}

export function toErrorBody(exception: unknown): ErrorBody & { log: boolean } {
  // A database or Redis that cannot be reached: 503, not logged per request (the connections log the outage once).
  const dependency = unavailableDependency(exception);
  if (dependency) {
    const { message } = dependencyUnavailable(dependency);
    return { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message, details: { dependency }, log: false };
  }
  if (exception instanceof DomainError) {
    return {
      statusCode: exception.status,
      code: exception.code,
      message: exception.message,
      details: exception.details,
      log: exception.status >= 500,
    };
  }
  if (exception instanceof ZodValidationException) {
    const zodError = exception.getZodError() as ZodError;
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: zodMessage(zodError),
      details: zodDetails(zodError),
      log: false,
    };
  }
  if (exception instanceof ThrottlerException) {
    return {
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: 'Too many requests, try again later',
      log: false,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : exception.message;
    return { statusCode: status, code: HTTP_CODES[status] ?? `HTTP_${status}`, message, log: status >= 500 };
  }
  const parser = exception as ParserError | null;
  if (parser && typeof parser === 'object') {
    if (parser.type === 'entity.parse.failed') {
      return {
        statusCode: 400,
        code: 'MALFORMED_JSON',
        message: 'The request body is not valid JSON',
        log: false,
      };
    }
    if (parser.type === 'entity.too.large' || parser.code === 'LIMIT_FILE_SIZE') {
      return {
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is too large',
        log: false,
      };
    }
    const status = parser.status ?? parser.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return {
        statusCode: status,
        code: HTTP_CODES[status] ?? 'BAD_REQUEST',
        message: 'The request could not be read',
        log: false,
      };
    }
  }
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side', log: true };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const { log, ...body } = toErrorBody(exception);
    if (log) this.logger.error({ err: exception, requestId: req?.id }, 'Unhandled error');
    if (!res || typeof res.status !== 'function') return;
    if (res.headersSent) {
      res.end();
      return;
    }
    if (body.statusCode === Number(HttpStatus.TOO_MANY_REQUESTS) && !res.getHeader('Retry-After')) {
      res.setHeader('Retry-After', '60');
    }
    if (body.statusCode === Number(HttpStatus.SERVICE_UNAVAILABLE) && !res.getHeader('Retry-After')) {
      res.setHeader('Retry-After', String(DEPENDENCY_RETRY_AFTER_S));
    }
    res.status(body.statusCode).json({ ...body, requestId: req?.id });
  }
}
