import { Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportService, type PortabilityJobView } from './export/export.service';
import { ImportService } from './import/import.service';
import { PortabilityError } from './portability.errors';

/** The upload limit of an import archive (multer refuses more with 413). */
export const IMPORT_MAX_BYTES = 2 * 1024 ** 3;

export interface ImportUpload {
  path: string;
  size: number;
}

/** The routes' entry point: the export and import services, and the uploaded archive's temporary file. */
@Injectable()
export class PortabilityService {
  constructor(
    readonly exports: ExportService,
    readonly imports: ImportService,
  ) {}

  static uploadDir(): string {
    return join(tmpdir(), 'westwallet-imports');
  }

  async analyzeImport(file: ImportUpload | undefined): Promise<PortabilityJobView> {
    if (!file?.path) throw new PortabilityError('ARCHIVE_MISSING');
    try {
      return await this.imports.analyze(file.path);
    } finally {
      await rm(file.path, { force: true });
    }
  }
}
