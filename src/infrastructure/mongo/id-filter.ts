/**
 * A filter on these ids, or none when `ids` is omitted. One id is an equality (FerretDB serves `_id` equality from
 * its primary key on both backends); several are an `$in`, which FerretDB v1 evaluates after the other equalities.
 */
export function idFilter(ids?: readonly string[]): { _id?: string | { $in: string[] } } {
  if (!ids) return {};
  return ids.length === 1 ? { _id: ids[0] } : { _id: { $in: [...ids] } };
}
