/**
 * Bank line statuses: a plain list the schema, the DTOs and the services share (a DTO may not import a schema,
 * docs/modules.md §2).
 */
export const LINE_STATUSES = ['unmatched', 'suggested', 'matched', 'rejected', 'ignored'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** Lines that can still be matched: `rejected` means every suggestion so far was rejected. */
export const OPEN_LINE_STATUSES: readonly LineStatus[] = ['unmatched', 'suggested', 'rejected'];
