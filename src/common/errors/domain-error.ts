/**
 * Base of every error a service throws. Services never throw HTTP exceptions: each module declares its own
 * error class with `defineErrors`, naming its codes and their HTTP status once; the global filter maps them.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly details?: unknown;

  protected constructor(message: string, details?: unknown) {
    super(message);
    this.details = details;
  }
}

export type ErrorClass<C extends string> = new (
  code: C,
  message?: string,
  details?: unknown,
) => DomainError & {
  readonly code: C;
};

/**
 * `export const AuthError = defineErrors('AuthError', { INVALID_CREDENTIALS: [401, 'Wrong email or password'] })`
 * then `throw new AuthError('INVALID_CREDENTIALS')`.
 */
export function defineErrors<C extends string>(
  name: string,
  codes: Record<C, readonly [status: number, defaultMessage: string]>,
): ErrorClass<C> {
  const cls = class extends DomainError {
    readonly status: number;
    constructor(
      readonly code: C,
      message?: string,
      details?: unknown,
    ) {
      super(message ?? codes[code][1], details);
      this.status = codes[code][0];
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/** Errors any module may throw. */
export const CommonError = defineErrors('CommonError', {
  NOT_FOUND: [404, 'Not found'],
  VALIDATION_FAILED: [400, 'The request is not valid'],
  MALFORMED_JSON: [400, 'The request body is not valid JSON'],
  UNAUTHORIZED: [401, 'Authentication required'],
  FORBIDDEN: [403, 'You may not do this'],
  CONFLICT: [409, 'Conflict'],
  PAYLOAD_TOO_LARGE: [413, 'The request body is too large'],
  RATE_LIMITED: [429, 'Too many requests'],
  INTERNAL_ERROR: [500, 'Something went wrong on our side'],
});

/**
 * The one 404 for a record, thrown by every module: a missing record, another organization's record and a
 * wrong-shape id all answer `{ code: 'NOT_FOUND', message: 'Not found', details: { type } }`. `type` names the
 * kind of record asked for (`organization`, `user`, `member`, `upload`, `invoice`, `trash_item`, `bill`,
 * `bank_account`, …; the registered record type where there is one), never whether it exists elsewhere.
 */
export function notFound(type: string): InstanceType<typeof CommonError> {
  return new CommonError('NOT_FOUND', undefined, { type });
}

/** True for the 404 of `notFound` (or a module's own `NOT_FOUND`). */
export function isNotFound(error: unknown): boolean {
  return error instanceof DomainError && error.code === 'NOT_FOUND';
}

/**
 * Reads another module's record that a body field names; its 404 (missing, another organization's, wrong shape)
 * becomes `invalid()` — the calling module's 400 `INVALID_REFERENCE` with `details.field`.
 */
export async function referenced<T>(read: () => Promise<T>, invalid: () => Error): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) throw invalid();
    throw error;
  }
}
