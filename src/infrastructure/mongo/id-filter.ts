/**
 * Reads records by id the way FerretDB serves fastest: each id as its own `_id` equality (its primary key on both
 * backends; an `$in` is evaluated after reading every row the other equalities leave), in parallel; all records
 * (an empty extra filter) when `ids` is omitted. For a handful of ids — a record that changed, the records due
 * for a check — not for long lists.
 */
export async function byEachId<T>(
  ids: readonly string[] | undefined,
  read: (filter: { _id?: string }) => Promise<T[]>,
): Promise<T[]> {
  if (!ids) return read({});
  return (await Promise.all([...new Set(ids)].map((_id) => read({ _id })))).flat();
}
