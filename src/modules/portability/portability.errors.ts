import { defineErrors } from '../../common/errors/domain-error';

/** Every refusal of an archive names what was wrong in `details` (entry, field, line); nothing is written. */
export const PortabilityError = defineErrors('PortabilityError', {
  ARCHIVE_MISSING: [400, 'Send the ZIP archive as the multipart field "file"'],
  ARCHIVE_CORRUPT: [400, 'The file is not a readable ZIP archive'],
  ARCHIVE_UNSAFE_PATH: [
    400,
    'The archive holds an entry with an unsafe path (absolute, "..", or backslashes)',
  ],
  ARCHIVE_SYMLINK: [400, 'The archive holds a symbolic link'],
  ARCHIVE_UNKNOWN_ENTRY: [400, 'The archive holds an entry that is not part of the export format'],
  ARCHIVE_DUPLICATE_ENTRY: [400, 'The archive holds two entries with the same name'],
  ARCHIVE_TOO_MANY_ENTRIES: [413, 'The archive holds too many entries'],
  ARCHIVE_TOO_LARGE: [413, 'The archive unpacks to more than the allowed size'],
  ARCHIVE_RATIO: [413, 'An entry unpacks to far more than its packed size (a zip bomb)'],
  MANIFEST_MISSING: [422, 'The archive has no manifest.json'],
  MANIFEST_INVALID: [422, 'manifest.json is not a valid manifest'],
  FORMAT_VERSION_UNSUPPORTED: [422, 'The archive was written in a format version this server does not read'],
  MANIFEST_MISMATCH: [422, 'The archive does not match its manifest (hash, size, count or list of files)'],
  RECORD_INVALID: [422, 'A record in the archive is malformed or has fields of the wrong type'],
  REFERENCE_MISSING: [422, 'A record in the archive references a record that is not in it'],
  IMPORT_NOT_READY: [409, 'The import is not waiting to be applied (already applied, running or failed)'],
  EXPORT_NOT_READY: [409, 'The export is not ready yet'],
  EXPORT_FAILED: [409, 'The export could not be made'],
  EXPORT_EXPIRED: [410, 'The export file has expired; start a new export'],
});
