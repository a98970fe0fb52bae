/**
 * The import statuses and formats: plain lists the schema, the DTOs and the services share (a DTO may not import a
 * schema, docs/modules.md §2).
 */
export const IMPORT_STATUSES = ['queued', 'processing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_FORMATS = ['camt053', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Why an import failed, as stored and shown: the file's fault, or ours (the detail is only in the log). */
export const IMPORT_ERROR_CODES = ['IMPORT_FILE_UNREADABLE', 'IMPORT_FAILED_INTERNAL'] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];
