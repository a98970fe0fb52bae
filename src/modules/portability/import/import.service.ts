import { Inject, Injectable, Logger } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { jobIdFor, JobName } from '../../../infrastructure/queue/queue.constants';
import { FILE_STORAGE, type FileStorage } from '../../../infrastructure/storage/file-storage';
import { storageKey } from '../../../infrastructure/storage/storage-keys';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { NOTIFICATION_EVENTS, type NotificationEvents } from '../../notifications/notifications.contract';
import { RecordRegistry } from '../../trash/record-registry';
import {
  FILE_PATH,
  FORMAT_VERSION,
  MANIFEST_PATH,
  RECORDS_PATH,
  SETTINGS_PATH,
  manifestSchema,
  type Manifest,
} from '../archive/manifest';
import { ARCHIVE_LIMITS, drain, readWhole, walkArchive, type ArchiveEntry } from '../archive/zip-reader';
import { RETENTION_DAYS, viewOf, type PortabilityJobView } from '../export/export.service';
import { PortabilityError } from '../portability.errors';
import { PortabilityIdMapRepository, PortabilityJobsRepository } from '../portability.repository';
import { filesOf, importableOnly, ownerOf, portableTypes, type PortableType } from '../portable-types';
import { planImport, type Decision } from './import-plan';

export const IMPORT_RECORD_TYPE = 'import';
/** Records inserted per call (each call goes through the bulk-write helper). */
const INSERT_BATCH = 500;
/** Files up to this size are read whole and written FILE_WRITES at a time during the apply. */
const SMALL_FILE = 4 * 1024 * 1024;
const FILE_WRITES = 8;

interface ReadArchive {
  manifest: Manifest;
  rows: Map<string, Record<string, unknown>[]>;
  /** file entry path → the upload's source id and the file's name. */
  files: Map<string, { type: string; sourceId: string; name: string; sha256: string }>;
  /** Unpacked size of every entry (checked against the manifest). */
  sizes: Map<string, number>;
}

/**
 * Import of an organization's export (docs/portability.md). POST /import reads the whole archive once — paths,
 * links, sizes, hashes and counts against the manifest, every line and reference — and answers the dry run
 * (nothing written but the archive itself, kept for the apply); POST /import/:id/apply queues the job that reads it
 * again and writes: the id map first, then the records (bulk inserts that skip ids already there), then the files.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger(ImportService.name);

  constructor(
    private readonly repository: PortabilityJobsRepository,
    private readonly idMap: PortabilityIdMapRepository,
    private readonly registry: RecordRegistry,
    private readonly ids: GlobalIdService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(NOTIFICATION_EVENTS) private readonly notifications: NotificationEvents,
  ) {}

  /** The dry run of an uploaded archive (a local file, removed by the caller). */
  async analyze(path: string): Promise<PortabilityJobView> {
    const userId = this.context.requireActor().userId;
    const { organizationId } = this.context.requireTenant();
    const archive = await this.read(path);
    const id = await this.ids.getNextGlobalId();
    const { perType, conflicts } = await this.plan(archive, id, userId, false);
    const key = storageKey('imports', organizationId, `${id}.zip`);
    const stored = await this.storage.put(key, createReadStream(path), { contentType: 'application/zip' });
    const now = this.clock.now();
    const plan = {
      sourceOrganization: archive.manifest.organization,
      exportedAt: archive.manifest.createdAt,
      formatVersion: archive.manifest.formatVersion,
      types: perType,
      files: archive.files.size,
      conflicts: conflicts.slice(0, 200),
      conflictCount: conflicts.length,
      settings: 'not applied: the organization keeps its own name and type',
    };
    const doc = await this.repository.add({
      _id: id,
      kind: 'import',
      status: 'ready',
      progressDone: 0,
      progressTotal: 0,
      fileKey: key,
      size: stored.size,
      sha256: stored.sha256,
      plan,
      sourceOrganizationId: archive.manifest.organization.id,
      completedAt: null,
      expiresAt: new Date(now.getTime() + RETENTION_DAYS * 86_400_000),
      error: null,
      requestedBy: userId,
    });
    await this.audit.record({
      action: AuditAction.OrganizationImportAnalyzed,
      targetType: IMPORT_RECORD_TYPE,
      targetId: id,
      metadata: { sourceOrganizationId: archive.manifest.organization.id, conflicts: conflicts.length },
    });
    return viewOf(doc);
  }

  async get(id: string): Promise<PortabilityJobView> {
    const doc = await this.repository.findOfKind(id, 'import');
    if (!doc) throw notFound(IMPORT_RECORD_TYPE);
    return viewOf(doc);
  }

  async apply(id: string): Promise<PortabilityJobView> {
    const doc = await this.repository.findOfKind(id, 'import');
    if (!doc) throw notFound(IMPORT_RECORD_TYPE);
    const queued = await this.repository.queue(id, ['ready']);
    if (!queued) throw new PortabilityError('IMPORT_NOT_READY', undefined, { status: doc.status });
    const { organizationId } = this.context.requireTenant();
    const name = JobName.PortabilityImport;
    await this.jobs.add(name, { organizationId, importId: id }, { jobId: jobIdFor(name, id) });
    return viewOf(queued.after);
  }

  /** The job. Safe to run twice: the id map of this import is reused and inserts skip ids already there. */
  async run(id: string): Promise<void> {
    const doc = await this.repository.findOfKind(id, 'import');
    if (!doc || !doc.fileKey || (doc.status !== 'queued' && doc.status !== 'running')) return;
    const dir = await mkdtemp(join(tmpdir(), 'ww-import-'));
    try {
      const path = join(dir, 'archive.zip');
      await pipeline((await this.storage.get(doc.fileKey)).body, createWriteStream(path));
      const archive = await this.read(path);
      const { decisions, perType } = await this.plan(archive, id, doc.requestedBy, true);
      const toCreate = decisions.filter((d) => d.outcome === 'create');
      const total = toCreate.length + archive.files.size;
      await this.repository.start(id, total);
      await this.idMap.addMappings(
        decisions
          .filter((d) => d.outcome !== 'skip')
          .map((d) => ({
            sourceOrganizationId: archive.manifest.organization.id,
            sourceId: d.sourceId,
            targetId: d.targetId,
            type: d.type,
            importId: id,
            outcome: d.outcome === 'reuse' ? 'reused' : 'created',
          })),
      );
      let done = 0;
      const types = portableTypes(this.registry);
      // export-only types (bank data, the bookkeeping) have no decisions: nothing is written for them
      for (const item of importableOnly(types)) {
        const records = toCreate
          .filter((d) => d.type === item.type)
          .map((d) => d.record as Record<string, unknown>);
        for (let i = 0; i < records.length; i += INSERT_BATCH) {
          await item.definition.insert(records.slice(i, i + INSERT_BATCH));
          done += Math.min(INSERT_BATCH, records.length - i);
          await this.repository.progress(id, done);
        }
      }
      done += await this.writeFiles(path, archive, types, decisions);
      await this.repository.finish(id, {
        progressDone: total,
        progressTotal: total,
        completedAt: this.clock.now(),
      });
      const created = Object.values(perType).reduce((n, t) => n + t.create, 0);
      await this.audit.record({
        action: AuditAction.OrganizationImportApplied,
        targetType: IMPORT_RECORD_TYPE,
        targetId: id,
        actorId: doc.requestedBy,
        metadata: { created, files: done - toCreate.length },
      });
      await this.notifications.importFinished({
        sourceType: IMPORT_RECORD_TYPE,
        sourceId: id,
        outcome: 'finished',
        userId: doc.requestedBy,
        summary: {
          sv: `Importen är klar: ${created} poster skapade`,
          en: `The import is done: ${created} records created`,
        },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async fail(id: string): Promise<void> {
    const doc = await this.repository.findOfKind(id, 'import');
    await this.repository.fail(id, 'IMPORT_FAILED_INTERNAL');
    if (!doc) return;
    await this.audit.record({
      action: AuditAction.OrganizationImportFailed,
      targetType: IMPORT_RECORD_TYPE,
      targetId: id,
      actorId: doc.requestedBy,
    });
    await this.notifications.importFinished({
      sourceType: IMPORT_RECORD_TYPE,
      sourceId: id,
      outcome: 'failed',
      userId: doc.requestedBy,
      summary: { sv: 'Importen misslyckades', en: 'The import failed' },
    });
  }

  private async plan(archive: ReadArchive, importId: string, userId: string, reserve: boolean) {
    const types = portableTypes(this.registry);
    const mapped = new Map<string, { targetId: string; importId: string }>();
    for (const m of await this.idMap.ofSource(archive.manifest.organization.id))
      mapped.set(m.sourceId, { targetId: m.targetId, importId: m.importId });
    const existingKeys = new Map<string, Map<string, string>>();
    const importable = importableOnly(types);
    for (const item of importable) {
      const uniqueKey = item.definition.uniqueKey;
      if (!uniqueKey) continue;
      const keys = new Map<string, string>();
      for (const record of await item.definition.list()) {
        const key = uniqueKey(record);
        if (key !== null) keys.set(key, String(record._id));
      }
      existingKeys.set(item.type, keys);
    }
    // new ids: placeholders in the dry run (nothing reserved), one block at apply
    const rowCount = importable.reduce((n, item) => n + (archive.rows.get(item.type) ?? []).length, 0);
    let block: string[] = [];
    if (reserve && rowCount) block = await this.ids.reserveGlobalIds(rowCount);
    const result = planImport({
      types,
      rows: archive.rows,
      mapped,
      importId,
      existingKeys,
      newId: (i) => (reserve ? block[i] : `new-${i}`),
      userId,
    });
    // every file must belong to an upload in the archive, under that upload's record, with a name it accepts
    // (rows looked up by id once per type, not scanned per file)
    const rowsById = new Map<string, Map<unknown, Record<string, unknown>>>();
    const rowOf = (type: string, id: string) => {
      let byId = rowsById.get(type);
      if (!byId) {
        byId = new Map();
        for (const r of archive.rows.get(type) ?? []) if (!byId.has(r._id)) byId.set(r._id, r);
        rowsById.set(type, byId);
      }
      return byId.get(id);
    };
    for (const [path, file] of archive.files) {
      const item = types.find((t) => t.type === file.type);
      const hooks = item ? filesOf(item) : undefined;
      const row = rowOf(file.type, file.sourceId);
      if (!item || !hooks || !row)
        throw new PortabilityError('REFERENCE_MISSING', undefined, { entry: path });
      if (!hooks.accepted.includes(file.name))
        throw new PortabilityError('ARCHIVE_UNKNOWN_ENTRY', undefined, { entry: path });
      const owner = ownerOf(item, row);
      if (path !== `files/${owner.type}/${owner.id}/${file.sourceId}/${file.name}`)
        throw new PortabilityError('REFERENCE_MISSING', undefined, { entry: path });
    }
    return result;
  }

  /** Reads and checks the whole archive: entries, manifest, hashes, counts, JSON lines. */
  private async read(path: string): Promise<ReadArchive> {
    const types = portableTypes(this.registry);
    const byFile = new Map(types.map((t) => [t.definition.file, t]));
    const seen = new Map<string, { size: number; sha256: string; count?: number }>();
    const rows = new Map<string, Record<string, unknown>[]>();
    let manifestBytes: Buffer | null = null;
    await walkArchive(path, async (entry: ArchiveEntry) => {
      if (entry.path === MANIFEST_PATH) {
        manifestBytes = await readWhole(entry, ARCHIVE_LIMITS.maxManifestBytes);
        return;
      }
      if (entry.path === SETTINGS_PATH) {
        await readWhole(entry, ARCHIVE_LIMITS.maxManifestBytes);
      } else if (RECORDS_PATH.test(entry.path)) {
        const item = byFile.get(RECORDS_PATH.exec(entry.path)?.[1] ?? '');
        if (!item) throw new PortabilityError('ARCHIVE_UNKNOWN_ENTRY', undefined, { entry: entry.path });
        const list = await readLines(entry);
        rows.set(item.type, list);
        seen.set(entry.path, { size: entry.size(), sha256: entry.sha256(), count: list.length });
        return;
      } else if (FILE_PATH.test(entry.path)) {
        await drain(entry);
      } else {
        throw new PortabilityError('ARCHIVE_UNKNOWN_ENTRY', undefined, { entry: entry.path.slice(0, 200) });
      }
      seen.set(entry.path, { size: entry.size(), sha256: entry.sha256() });
    });
    if (!manifestBytes) throw new PortabilityError('MANIFEST_MISSING');
    let raw: unknown;
    try {
      raw = JSON.parse((manifestBytes as Buffer).toString('utf8'));
    } catch {
      throw new PortabilityError('MANIFEST_INVALID', undefined, { reason: 'not JSON' });
    }
    const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
    if (typeof version === 'number' && version !== FORMAT_VERSION)
      throw new PortabilityError('FORMAT_VERSION_UNSUPPORTED', undefined, {
        formatVersion: version,
        supported: [FORMAT_VERSION],
      });
    const parsed = manifestSchema.safeParse(raw);
    if (!parsed.success)
      throw new PortabilityError('MANIFEST_INVALID', undefined, {
        issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    const manifest = parsed.data;
    if (manifest.formatVersion !== FORMAT_VERSION)
      throw new PortabilityError('FORMAT_VERSION_UNSUPPORTED', undefined, {
        formatVersion: manifest.formatVersion,
        supported: [FORMAT_VERSION],
      });
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const path of seen.keys())
      if (!listed.has(path))
        throw new PortabilityError('MANIFEST_MISMATCH', undefined, {
          entry: path,
          reason: 'not in the manifest',
        });
    const files: ReadArchive['files'] = new Map();
    for (const file of manifest.files) {
      const actual = seen.get(file.path);
      if (!actual)
        throw new PortabilityError('MANIFEST_MISMATCH', undefined, { entry: file.path, reason: 'missing' });
      if (actual.sha256 !== file.sha256)
        throw new PortabilityError('MANIFEST_MISMATCH', undefined, { entry: file.path, reason: 'sha256' });
      if (actual.size !== file.size)
        throw new PortabilityError('MANIFEST_MISMATCH', undefined, { entry: file.path, reason: 'size' });
      if (actual.count !== undefined && actual.count !== file.count)
        throw new PortabilityError('MANIFEST_MISMATCH', undefined, { entry: file.path, reason: 'count' });
      if (actual.count !== undefined && file.type && manifest.counts[file.type] !== actual.count)
        throw new PortabilityError('MANIFEST_MISMATCH', undefined, { entry: file.path, reason: 'counts' });
      const match = FILE_PATH.exec(file.path);
      if (match) {
        const item = types.find((t) => filesOf(t));
        files.set(file.path, {
          type: item?.type ?? 'upload',
          sourceId: match[3],
          name: match[4],
          sha256: file.sha256,
        });
      }
    }
    return { manifest, rows, files, sizes: new Map([...seen].map(([p, v]) => [p, v.size])) };
  }

  /** Streams the archive again and stores each file of a created upload under its new id and owner. */
  private async writeFiles(
    path: string,
    archive: ReadArchive,
    types: PortableType[],
    decisions: Decision[],
  ): Promise<number> {
    const created = new Map(
      decisions.filter((d) => d.outcome === 'create').map((d) => [`${d.type}|${d.sourceId}`, d]),
    );
    let written = 0;
    // Small files are read whole and stored FILE_WRITES at a time (the archive itself is read in order); a large
    // one streams straight into the storage.
    const inFlight = new Set<Promise<void>>();
    let failure: Error | null = null;
    const track = (write: Promise<void>) => {
      const done = write.then(
        () => void written++,
        (error: unknown) => void (failure ??= error instanceof Error ? error : new Error(String(error))),
      );
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    };
    await walkArchive(path, async (entry) => {
      if (failure) throw failure;
      const file = archive.files.get(entry.path);
      const decision = file ? created.get(`${file.type}|${file.sourceId}`) : undefined;
      const owner = file ? types.find((t) => t.type === file.type) : undefined;
      const hooks = owner ? filesOf(owner) : undefined;
      if (!file || !decision?.record || !hooks) return drain(entry);
      const record = decision.record;
      if ((archive.sizes.get(entry.path) ?? Infinity) <= SMALL_FILE) {
        const data = await readWhole(entry, SMALL_FILE);
        while (inFlight.size >= FILE_WRITES) await Promise.race(inFlight);
        track(hooks.write(record, file.name, Readable.from([data]), file.sha256));
      } else {
        await hooks.write(record, file.name, entry.stream, file.sha256);
        written++;
      }
    });
    await Promise.all(inFlight);
    const error = failure as Error | null; // set by the writes' callbacks
    if (error) throw error;
    return written;
  }
}

/** Splits a JSON Lines entry into rows: every non-empty line one JSON object. */
async function readLines(entry: ArchiveEntry): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let rest = '';
  let line = 0;
  const decoder = new StringDecoder('utf8');
  const take = (text: string) => {
    line++;
    if (!text.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new PortabilityError('RECORD_INVALID', undefined, {
        entry: entry.path,
        line,
        reason: 'not JSON',
      });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new PortabilityError('RECORD_INVALID', undefined, {
        entry: entry.path,
        line,
        reason: 'not an object',
      });
    rows.push(value as Record<string, unknown>);
  };
  for await (const chunk of entry.stream) {
    rest += decoder.write(chunk as Buffer);
    let at: number;
    while ((at = rest.indexOf('\n')) >= 0) {
      take(rest.slice(0, at));
      rest = rest.slice(at + 1);
    }
  }
  take(rest + decoder.end());
  return rows;
}
