import type { Connection } from 'mongoose';

const ferretDb = new WeakMap<Connection, Promise<boolean>>();

/**
 * Whether the server behind a connection is FerretDB (`buildInfo.ferretdbVersion`), asked once per connection.
 * FerretDB v1 needs workarounds MongoDB does not (MONGO-COMPAT.md items 12 and 13); MongoDB gets the plain path.
 * A failed ask is not cached: the next call asks again.
 */
export function isFerretDb(connection: Connection): Promise<boolean> {
  let known = ferretDb.get(connection);
  if (!known) {
    known = connection
      .db!.admin()
      .command({ buildInfo: 1 })
      .then((info) => typeof (info as { ferretdbVersion?: unknown }).ferretdbVersion === 'string');
    known.catch(() => ferretDb.delete(connection));
    ferretDb.set(connection, known);
  }
  return known;
}
