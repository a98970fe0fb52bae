import { z } from 'zod';

/** The export format (docs/portability.md). A reader refuses any other `format` or `formatVersion`. */
export const EXPORT_FORMAT = 'westwallet-organization-export';
export const FORMAT_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';
export const SETTINGS_PATH = 'settings.json';

/** Entry paths: `records/<file>.jsonl`, `files/<ownerType>/<ownerId>/<uploadId>/<name>`, settings and manifest. */
export const RECORDS_PATH = /^records\/([a-z][a-z0-9_]{0,49})\.jsonl$/;
export const FILE_PATH =
  /^files\/([a-z][a-z0-9_-]{0,49})\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})\/([a-z][a-z0-9_]{0,30})$/;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const sourceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const manifestFileSchema = z.strictObject({
  path: z.string().max(400),
  kind: z.enum(['records', 'file', 'settings']),
  /** records: the record type; file: `upload`. */
  type: z.string().max(50).optional(),
  /** records: number of lines (one record each). */
  count: z.number().int().min(0).optional(),
  size: z.number().int().min(0),
  sha256,
});
export type ManifestFile = z.infer<typeof manifestFileSchema>;

export const manifestSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.number().int(),
  appVersion: z.string().max(100),
  createdAt: z.string().max(40),
  organization: z.strictObject({ id: sourceId, name: z.string().max(200), type: z.string().max(40) }),
  counts: z.record(z.string().max(50), z.number().int().min(0)),
  files: z.array(manifestFileSchema).max(200_000),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function isSourceId(value: unknown): value is string {
  return sourceId.safeParse(value).success;
}
