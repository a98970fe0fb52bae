import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { StorageModule } from '../../infrastructure/storage/storage.module';
import { portableStore } from '../portability/portable-store';
import { RecordRegistry } from '../trash/record-registry';
import { UploadMetadataCache } from './uploads.cache';
import { UploadsController } from './uploads.controller';
import { UploadJobs } from './uploads.jobs';
import { UploadsRepository } from './uploads.repository';
import { UploadEntity, UploadSchema, type UploadDoc } from './uploads.schema';
import { UPLOAD_RECORD_TYPE, UploadsService } from './uploads.service';
import { UploadStorage, type StoredFile } from './uploads.storage';

/** The stored files of an upload that travel in an export (docs/portability.md). */
const PORTABLE_FILES: readonly StoredFile[] = ['incoming', 'original', 'compressed', 'thumbnail'];

/**
 * Files attached to any record. Registers the `upload` record type (uploads go to the trash like any record, and
 * can themselves own files) and the dependents provider that makes every record's files follow it into the trash.
 */
@Module({
  imports: [
    StorageModule,
    MongooseModule.forFeature([{ name: UploadEntity.name, schema: UploadSchema }]),
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // In memory: the type check needs the first bytes and the header check the whole image; the limit keeps it
      // bounded (UPLOAD_MAX_BYTES, one file, a few small text fields). Larger → 413 before the route runs.
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: {
          fileSize: config.uploads.maxBytes,
          files: 1,
          fields: 4,
          fieldSize: 1024,
          parts: 6,
          headerPairs: 20,
        },
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [UploadsController],
  providers: [UploadsRepository, UploadStorage, UploadMetadataCache, UploadsService, UploadJobs],
  exports: [UploadsService],
})
export class UploadsModule implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly uploads: UploadsService,
    private readonly repository: UploadsRepository,
    private readonly storage: UploadStorage,
  ) {}

  onModuleInit(): void {
    this.registry.register<UploadDoc>({
      type: UPLOAD_RECORD_TYPE,
      find: (id, { withDeleted }) => this.uploads.find(id, withDeleted),
      label: (upload) => upload.name,
      bookkeeping: (upload) => this.uploads.isBookkeeping(upload),
      parentOf: (upload) =>
        upload.recordId && upload.recordType ? { type: upload.recordType, id: upload.recordId } : null,
      // Export/import (docs/portability.md): the record and its stored files (original and variants), which follow
      // the new ids: the folder is the new owner's id (or the upload's own).
      portable: {
        file: 'uploads',
        ...portableStore(this.repository),
        references: { recordId: { typeField: 'recordType' } },
        userFields: ['uploadedBy'],
        fromRow: (u) => ({ ...u, folder: typeof u.recordId === 'string' ? u.recordId : u._id }),
        files: {
          accepted: PORTABLE_FILES,
          names: async (u) => {
            const stats = await Promise.all(
              PORTABLE_FILES.map((name) => this.storage.files.stat(this.storage.keyOf(u, name))),
            );
            return PORTABLE_FILES.filter((_, i) => stats[i]);
          },
          open: async (u, name) => (await this.storage.open(u, name as StoredFile)).body,
          write: async (u, name, body, sha256) => {
            const key = { _id: String(u._id), folder: String(u.folder) };
            await this.storage.files.put(this.storage.keyOf(key, name as StoredFile), body, { sha256 });
          },
        },
      },
      trash: {
        softDelete: (id, at) => this.uploads.softDelete(id, at),
        restore: (id) => this.uploads.restore(id),
        purge: (id) => this.uploads.purge(id),
      },
    });
    this.registry.registerDependents('uploads', (parent) => this.uploads.dependentsOf(parent));
  }
}
