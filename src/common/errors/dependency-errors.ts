import { defineErrors, DomainError } from './domain-error';

/** A part the API needs but does not own. */
export type Dependency = 'database' | 'redis';

/** Seconds a client is told to wait (`Retry-After`) when a dependency is unavailable. */
export const DEPENDENCY_RETRY_AFTER_S = 5;

const DependencyError = defineErrors('DependencyError', {
  SERVICE_UNAVAILABLE: [503, 'The service is temporarily unavailable, try again shortly'],
});

const MESSAGES: Record<Dependency, string> = {
  database: 'The database is temporarily unavailable, try again shortly',
  redis: 'A required service (Redis) is temporarily unavailable, try again shortly',
};

/** The error code must stay the same for every dependency; `details.dependency` names which one. */
export function dependencyUnavailable(dependency: Dependency): DomainError {
  return new DependencyError('SERVICE_UNAVAILABLE', MESSAGES[dependency], { dependency });
}

/**
 * Driver errors that mean "the database cannot be reached right now" (not "the query is wrong"): no server
 * selectable, a connection dropped or timed out, the pool was cleared, or Mongoose gave up buffering an operation
 * while disconnected. Matched by name so that a second copy of the driver in node_modules is recognised too.
 */
const DATABASE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
]);

/**
 * ioredis gives up on a command with a MaxRetriesPerRequestError (reconnects failed), "Command timed out"
 * (`commandTimeout`), "Connection is closed." (the connection ended under it) or the offline-queue refusal.
 */
const REDIS_ERROR_NAMES = new Set(['MaxRetriesPerRequestError']);
const REDIS_ERROR_MESSAGES = [
  /^Command timed out$/,
  /^Connection is closed\.?$/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
  /^Reached the max retries per request limit/,
];

function classifyOne(error: Error): Dependency | null {
  if (error instanceof DomainError) {
    const dependency = (error.details as { dependency?: unknown } | undefined)?.dependency;
    return error.status === 503 && (dependency === 'database' || dependency === 'redis') ? dependency : null;
  }
  if (DATABASE_ERROR_NAMES.has(error.name)) return 'database';
  if (error.name === 'MongooseError' && /buffering timed out/.test(error.message)) return 'database';
  if (REDIS_ERROR_NAMES.has(error.name)) return 'redis';
  if (REDIS_ERROR_MESSAGES.some((pattern) => pattern.test(error.message))) return 'redis';
  return null;
}

/** Which dependency `error` (or an error in its `cause` chain) says is unavailable; null for any other error. */
export function unavailableDependency(error: unknown): Dependency | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const found = classifyOne(current);
    if (found) return found;
    current = current.cause;
  }
  return null;
}
