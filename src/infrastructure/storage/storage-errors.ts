import { DomainError } from '../../common/errors/domain-error';

/** No object under that key. Callers turn it into their own 404 (e.g. VARIANT_NOT_AVAILABLE). */
export class StorageNotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;

  constructor(readonly key: string) {
    super('The file is not there', undefined);
    this.name = 'StorageNotFoundError';
  }
}

/**
 * The storage cannot be reached, failed, or did not answer in time: 503 in the common error shape, with
 * `details.dependency: 'storage'` and Retry-After (set by the exception filter for every 503). `cause` keeps
 * the driver's error for the log.
 */
export class StorageUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = 503;

  constructor(
    readonly operation: string,
    cause?: unknown,
  ) {
    super('File storage is temporarily unavailable, try again shortly', { dependency: 'storage' });
    this.name = 'StorageUnavailableError';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/** The bytes stored are not the bytes meant (a SHA-256 given to put() did not match). Nothing was kept. */
export class StorageIntegrityError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`SHA-256 of ${key} is ${actual}, expected ${expected}`);
    this.name = 'StorageIntegrityError';
  }
}

export const isStorageNotFound = (error: unknown): error is StorageNotFoundError =>
  error instanceof StorageNotFoundError;
