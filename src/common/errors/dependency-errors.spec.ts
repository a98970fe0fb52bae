import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { Error as MongooseError, mongo } from 'mongoose';
import { toErrorBody } from './all-exceptions.filter';
import { dependencyUnavailable, unavailableDependency } from './dependency-errors';
import { CommonError } from './domain-error';

describe('unavailableDependency', () => {
  it('recognises the driver errors of an unreachable database', () => {
    expect(unavailableDependency(new mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'))).toBe(
      'database',
    );
    expect(unavailableDependency(new mongo.MongoNetworkTimeoutError('timed out'))).toBe('database');
    expect(unavailableDependency(new mongo.MongoNotConnectedError('not connected'))).toBe('database');
    expect(unavailableDependency(new mongo.MongoTopologyClosedError())).toBe('database');
    const selection = new MongooseError.MongooseServerSelectionError(
      'Server selection timed out after 3000 ms',
    );
    expect(unavailableDependency(selection)).toBe('database');
    expect(
      unavailableDependency(
        new MongooseError('Operation `users.findOne()` buffering timed out after 3000ms'),
      ),
    ).toBe('database');
  });

  it('recognises ioredis giving up on a command', () => {
    expect(unavailableDependency(new MaxRetriesPerRequestError(1))).toBe('redis');
    expect(unavailableDependency(new Error('Command timed out'))).toBe('redis');
    expect(unavailableDependency(new Error('Connection is closed.'))).toBe('redis');
    expect(
      unavailableDependency(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toBe('redis');
  });

  it('follows the cause chain and knows its own error', () => {
    expect(
      unavailableDependency(new Error('import failed', { cause: new mongo.MongoNetworkError('reset') })),
    ).toBe('database');
    expect(unavailableDependency(dependencyUnavailable('redis'))).toBe('redis');
  });

  it('leaves every other error alone: a bad query or duplicate key is not an outage', () => {
    expect(
      unavailableDependency(new mongo.MongoServerError({ message: 'E11000 duplicate key', code: 11000 })),
    ).toBeNull();
    expect(unavailableDependency(new MongooseError('Cast to ObjectId failed'))).toBeNull();
    expect(unavailableDependency(new Error('Command timed out while parsing'))).toBeNull();
    expect(unavailableDependency(new CommonError('INTERNAL_ERROR'))).toBeNull();
    expect(unavailableDependency('Command timed out')).toBeNull();
    expect(unavailableDependency(null)).toBeNull();
  });
});

describe('toErrorBody for an unavailable dependency', () => {
  it('is a 503 SERVICE_UNAVAILABLE naming the dependency, not logged as a crash', () => {
    expect(toErrorBody(new mongo.MongoNetworkError('connection reset'))).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'The database is temporarily unavailable, try again shortly',
      details: { dependency: 'database' },
      log: false,
    });
    expect(toErrorBody(new MaxRetriesPerRequestError(1))).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      details: { dependency: 'redis' },
    });
  });
});
