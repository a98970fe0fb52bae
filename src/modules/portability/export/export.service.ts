import { Inject, Injectable, Logger } from '@nestjs/common';
import { PassThrough, type Readable } from 'node:stream';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { apiPath } from '../../../common/http/api';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { jobIdFor, JobName } from '../../../infrastructure/queue/queue.constants';
import { FILE_STORAGE, type FileStorage } from '../../../infrastructure/storage/file-storage';
import { storageKey } from '../../../infrastructure/storage/storage-keys';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { OrganizationsService } from '../../organizations/organizations.service';
import { RecordRegistry } from '../../trash/record-registry';
import {
  EXPORT_FORMAT,
  FORMAT_VERSION,
  MANIFEST_PATH,
  SETTINGS_PATH,
  type Manifest,
  type ManifestFile,
} from '../archive/manifest';
import { ZipWriter } from '../archive/zip-writer';
import { PortabilityError } from '../portability.errors';
import { PortabilityJobsRepository } from '../portability.repository';
import type { PortabilityJobDoc } from '../portability.schema';
import { filePath, filesOf, portableTypes, toRow } from '../portable-types';

export const EXPORT_RECORD_TYPE = 'export';
export const RETENTION_DAYS = 7;
const APP_VERSION = '0.1.0';

export interface PortabilityJobView {
  id: string;
  kind: 'export' | 'import';
  status: string;
  progress: { done: number; total: number };
  downloadUrl: string | null;
  size: number | null;
  sha256: string | null;
  plan: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string | null;
}

export function viewOf(doc: PortabilityJobDoc): PortabilityJobView {
  const downloadable = doc.kind === 'export' && doc.status === 'done' && doc.fileKey;
  return {
    id: doc._id,
    kind: doc.kind,
    status: doc.status,
    progress: { done: doc.progressDone, total: doc.progressTotal },
    downloadUrl: downloadable ? apiPath('export', doc._id, 'file') : null,
    size: doc.size,
    sha256: doc.sha256,
    plan: doc.plan,
    error: doc.error,
    createdAt: doc.createdAt.toISOString(),
    completedAt: doc.completedAt?.toISOString() ?? null,
    expiresAt: doc.expiresAt?.toISOString() ?? null,
  };
}

/**
 * The organization's whole export (docs/portability.md): a job writes one streamed ZIP into the file storage —
 * `records/<type>.jsonl` per portable record type, every upload's stored files under their record, `settings.json`
 * and, last, `manifest.json` with counts and SHA-256 of every entry. Kept 7 days, then removed by the cleanup job.
 */
@Injectable()
export class ExportService {
  private readonly logger = new Logger(ExportService.name);

  constructor(
    private readonly repository: PortabilityJobsRepository,
    private readonly registry: RecordRegistry,
    private readonly ids: GlobalIdService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly organizations: OrganizationsService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(): Promise<PortabilityJobView> {
    const id = await this.ids.getNextGlobalId();
    const doc = await this.repository.add({
      _id: id,
      kind: 'export',
      status: 'queued',
      progressDone: 0,
      progressTotal: 0,
      fileKey: null,
      size: null,
      sha256: null,
      plan: null,
      sourceOrganizationId: null,
      completedAt: null,
      expiresAt: null,
      error: null,
      requestedBy: this.context.requireActor().userId,
    });
    await this.audit.record({
      action: AuditAction.OrganizationExportRequested,
      targetType: EXPORT_RECORD_TYPE,
      targetId: id,
    });
    const { organizationId } = this.context.requireTenant();
    const name = JobName.PortabilityExport;
    await this.jobs.add(name, { organizationId, exportId: id }, { jobId: jobIdFor(name, id) });
    return viewOf(doc);
  }

  async get(id: string): Promise<PortabilityJobView> {
    const doc = await this.repository.findOfKind(id, 'export');
    if (!doc) throw notFound(EXPORT_RECORD_TYPE);
    return viewOf(doc);
  }

  async file(id: string): Promise<{ stream: Readable; size: number; fileName: string }> {
    const doc = await this.repository.findOfKind(id, 'export');
    if (!doc) throw notFound(EXPORT_RECORD_TYPE);
    if (doc.status === 'expired') throw new PortabilityError('EXPORT_EXPIRED');
    if (doc.status === 'failed') throw new PortabilityError('EXPORT_FAILED');
    if (doc.status !== 'done' || !doc.fileKey) throw new PortabilityError('EXPORT_NOT_READY');
    const object = await this.storage.get(doc.fileKey);
    await this.audit.record({
      action: AuditAction.OrganizationExportDownloaded,
      targetType: EXPORT_RECORD_TYPE,
      targetId: id,
    });
    return {
      stream: object.body,
      size: object.size,
      fileName: `westwallet-export-${doc.createdAt.toISOString().slice(0, 10)}-${id}.zip`,
    };
  }

  /** The job: writes the archive. Safe to run twice (a rerun writes the whole file again under the same key). */
  async generate(id: string): Promise<void> {
    const doc = await this.repository.findOfKind(id, 'export');
    if (!doc || doc.status === 'done' || doc.status === 'expired') return;
    const { organizationId } = this.context.requireTenant();
    const types = portableTypes(this.registry);
    const records = new Map<string, Record<string, unknown>[]>();
    let fileCount = 0;
    for (const item of types) {
      const list = await item.definition.list();
      records.set(item.type, list);
      if (filesOf(item)) fileCount += list.length;
    }
    const total = types.length + fileCount + 1;
    await this.repository.start(id, total);
    let done = 0;
    const step = async (n = 1) => {
      done += n;
      if (done % 50 === 0 || done === total) await this.repository.progress(id, done);
    };

    const key = storageKey('exports', organizationId, `${id}.zip`);
    const output = new PassThrough({ highWaterMark: 1024 * 1024 });
    const zip = new ZipWriter(output);
    const stored = this.storage.put(key, output, { contentType: 'application/zip' });
    stored.catch(() => output.destroy());
    const files: ManifestFile[] = [];
    const counts: Record<string, number> = {};
    const appendWhole = async (
      path: string,
      data: Buffer,
      entry: Omit<ManifestFile, 'path' | 'size' | 'sha256'>,
    ) => {
      const written = await zip.add(path, data);
      files.push({ path, ...entry, ...written });
    };
    try {
      const organization = await this.organizations.get(organizationId);
      await appendWhole(
        SETTINGS_PATH,
        Buffer.from(
          JSON.stringify({ organization: { name: organization.name, type: organization.type } }, null, 2),
        ),
        { kind: 'settings' },
      );
      await step();
      for (const item of types) {
        const list = records.get(item.type) ?? [];
        const rows = list.map((record) => toRow(item, record));
        counts[item.type] = rows.length;
        const text = rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : '');
        await appendWhole(`records/${item.definition.file}.jsonl`, Buffer.from(text), {
          kind: 'records',
          type: item.type,
          count: rows.length,
        });
        await step();
        const hooks = filesOf(item);
        if (!hooks) continue;
        for (const [i, record] of list.entries()) {
          const row = rows[i];
          for (const name of await hooks.names(record)) {
            const path = filePath(item, row, name);
            // stored files are mostly compressed already (images, PDFs): kept as they are
            const written = await zip.add(path, await hooks.open(record, name), { method: 0 });
            files.push({ path, kind: 'file', type: item.type, ...written });
          }
          await step();
        }
      }
      const manifest: Manifest = {
        format: EXPORT_FORMAT,
        formatVersion: FORMAT_VERSION,
        appVersion: this.config.system.commit ? `${APP_VERSION}+${this.config.system.commit}` : APP_VERSION,
        createdAt: this.clock.now().toISOString(),
        organization: { id: organizationId, name: organization.name, type: organization.type },
        counts,
        files,
      };
      await zip.add(MANIFEST_PATH, Buffer.from(JSON.stringify(manifest, null, 2)));
      await zip.finish();
      const result = await stored;
      const now = this.clock.now();
      await this.repository.finish(id, {
        fileKey: key,
        size: result.size,
        sha256: result.sha256,
        plan: { counts, files: files.length },
        progressDone: total,
        progressTotal: total,
        completedAt: now,
        expiresAt: new Date(now.getTime() + RETENTION_DAYS * 86_400_000),
      });
    } catch (error) {
      output.destroy();
      await stored.catch(() => undefined);
      await this.storage.delete(key).catch(() => undefined);
      this.logger.error({ err: error, exportId: id }, 'Export failed');
      throw error;
    }
  }

  async fail(id: string): Promise<void> {
    await this.repository.fail(id, 'EXPORT_FAILED_INTERNAL');
  }
}
