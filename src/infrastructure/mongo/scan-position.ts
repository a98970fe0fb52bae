/** A position in a sorted scan: the sort value of the last row and its `_id` (ties broken by `_id`). */
export interface ScanPosition {
  value: string | number | null;
  id: string;
}

/** `{field > value} or {field = value and _id > id}` (or `<` for descending), for keyset pagination. */
export function afterPosition(
  field: string,
  direction: 1 | -1,
  position: ScanPosition | null,
  asDate: boolean,
): Record<string, unknown> {
  if (!position) return {};
  const value = asDate && position.value !== null ? new Date(position.value) : position.value;
  const op = direction === 1 ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: value } }, { [field]: value, _id: { [op]: position.id } }] };
}
