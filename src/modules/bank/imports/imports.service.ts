import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RequestContext } from '../../../common/context/request-context';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { JobName, jobIdFor, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { BankError } from '../bank.errors';
import { BankAccountsRepository } from '../accounts/accounts.repository';
import { BankLinesRepository, type NewBankLine } from '../lines/lines.repository';
import type { BankLineDoc } from '../lines/lines.schema';
import { periodOf } from '../common/dates';
import { BookingService } from '../matching/booking.service';
import { MatchingGenerationService } from '../matching/generation.service';
import { MatchingService } from '../matching/matching.service';
import { PoliciesService } from '../policies/policies.service';
import { looksLikeCamt053, parseCamt053 } from './camt053.parser';
import { parseCsvStatement, type CsvMapping } from './csv.parser';
import { dedupKeys } from './dedup';
import {
  BankImportFilesRepository,
  BankImportsRepository,
  CsvProfilesRepository,
} from './imports.repository';
import type { ImportErrorCode } from './import-status';
import type { BankImportDoc, CsvProfileDoc, ImportFormat } from './imports.schema';
import { StatementFormatError, type ParsedStatementLine, type RejectedRow } from './statement';
import { notFound } from '../../../common/errors/domain-error';

/** Uploads up to 5 MB; the bytes are kept in MongoDB (bank_import_files), one document per import. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const BATCH = 200;
const MAX_DETAILS = 1_000;
/** A queued import older than this whose job is gone is enqueued again when read (same jobId: never twice). */
const REQUEUE_AFTER_MS = 60_000;

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
  mimetype: string;
  size: number;
}

export interface ImportOptions {
  format?: ImportFormat;
  profileId?: string;
  mapping?: CsvMapping;
  saveProfileAs?: string;
}

/**
 * Why an import failed. `IMPORT_FILE_UNREADABLE`: the file's fault, `detail` is our own parser's text about the file
 * (safe to show). `IMPORT_FAILED_INTERNAL`: anything else (database, Redis, a bug) — the tenant sees a fixed text, the
 * detail goes only to the log (imports.jobs.ts).
 */
export type ImportFailure =
  { code: 'IMPORT_FILE_UNREADABLE'; detail: string } | { code: 'IMPORT_FAILED_INTERNAL' };

export function failureText(failure: ImportFailure): { sv: string; en: string } {
  switch (failure.code) {
    case 'IMPORT_FILE_UNREADABLE': {
      const detail = failure.detail.slice(0, 500);
      return { sv: `Filen kunde inte läsas: ${detail}`, en: `The file could not be read: ${detail}` };
    }
    case 'IMPORT_FAILED_INTERNAL':
      return {
        sv: 'Importen misslyckades på grund av ett internt fel. Försök igen om en stund; hjälper det inte, kontakta supporten.',
        en: 'The import failed because of an internal error. Try again in a while; if that does not help, contact support.',
      };
  }
}

export interface ImportView {
  id: string;
  bankAccountId: string;
  format: ImportFormat;
  fileName: string;
  fileSize: number;
  sha256: string;
  profileId: string | null;
  status: BankImportDoc['status'];
  progress: { processed: number; total: number; percent: number };
  counts: BankImportDoc['counts'];
  duplicates: RejectedRow[];
  rejected: RejectedRow[];
  detailsTruncated: boolean;
  encoding: string | null;
  /** Safe to show (English); `errorText` in Swedish and English, `errorCode` for programs. */
  error: string | null;
  errorCode: ImportErrorCode | null;
  errorText: { sv: string; en: string } | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export const importView = (i: BankImportDoc): ImportView => ({
  id: i._id,
  bankAccountId: i.bankAccountId,
  format: i.format,
  fileName: i.fileName,
  fileSize: i.fileSize,
  sha256: i.sha256,
  profileId: i.profileId,
  status: i.status,
  progress: {
    ...i.progress,
    percent: i.progress.total
      ? Math.round((100 * i.progress.processed) / i.progress.total)
      : i.status === 'done'
        ? 100
        : 0,
  },
  counts: i.counts,
  duplicates: i.duplicates,
  rejected: i.rejected,
  detailsTruncated: i.detailsTruncated,
  encoding: i.encoding,
  error: i.error,
  errorCode: i.errorCode ?? null,
  errorText: i.errorText ?? null,
  createdBy: i.createdBy,
  createdAt: i.createdAt,
  startedAt: i.startedAt,
  finishedAt: i.finishedAt,
});

export interface CsvProfileView {
  id: string;
  name: string;
  mapping: CsvMapping;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}
const profileView = (p: CsvProfileDoc): CsvProfileView => ({
  id: p._id,
  name: p.name,
  mapping: p.mapping,
  createdBy: p.createdBy,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});
const nameKey = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Statement imports: the upload stores the file and queues a `bank.import` job; the job parses (camt.053 or CSV
 * with a mapping), inserts the lines in batches (dedup by a unique key, see dedup.ts), reports progress and
 * counts, then matches the new lines and books automatically where a counterparty's policy allows.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: BankImportsRepository,
    private readonly files: BankImportFilesRepository,
    private readonly profiles: CsvProfilesRepository,
    private readonly accounts: BankAccountsRepository,
    private readonly lines: BankLinesRepository,
    private readonly matching: MatchingService,
    private readonly booking: BookingService,
    private readonly policies: PoliciesService,
    private readonly ids: GlobalIdService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
    private readonly generation: MatchingGenerationService,
  ) {}

  // ---------------------------------------------------------------- upload

  async create(
    bankAccountId: string,
    file: UploadedFile | undefined,
    options: ImportOptions,
  ): Promise<ImportView> {
    const account = await this.accounts.findById(bankAccountId);
    if (!account) throw notFound('bank_account');
    if (!file) throw new BankError('IMPORT_FILE_MISSING');
    if (!file.size || !file.buffer?.length) throw new BankError('IMPORT_FILE_EMPTY');
    const actor = this.context.requireActor();
    const format: ImportFormat = options.format ?? (looksLikeCamt053(file.buffer) ? 'camt053' : 'csv');
    let mapping: CsvMapping | null = null;
    let profileId: string | null = null;
    if (format === 'csv') {
      if (options.profileId) {
        const profile = await this.profiles.findById(options.profileId);
        if (!profile)
          throw new BankError('INVALID_REFERENCE', 'profileId does not name a CSV profile', {
            field: 'profileId',
          });
        mapping = profile.mapping;
        profileId = profile._id;
      } else if (options.mapping) {
        mapping = options.mapping;
        if (options.saveProfileAs) profileId = (await this.saveProfile(options.saveProfileAs, mapping)).id;
      } else {
        throw new BankError('IMPORT_FORMAT_UNKNOWN');
      }
    }
    const id = await this.ids.getNextGlobalId();
    // File first, then the import record, then the job: every crash point leaves something GET can finish.
    await this.files.put(id, file.buffer, file.mimetype || null);
    const created = await this.imports.create({
      _id: id,
      bankAccountId,
      format,
      fileName: (file.originalname || 'statement').slice(0, 200),
      fileSize: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      mapping,
      profileId,
      status: 'queued',
      progress: { processed: 0, total: 0 },
      counts: { created: 0, duplicates: 0, rejected: 0, suggested: 0, autoBooked: 0 },
      duplicates: [],
      rejected: [],
      detailsTruncated: false,
      encoding: null,
      error: null,
      errorCode: null,
      errorText: null,
      createdBy: actor.userId,
      startedAt: null,
      finishedAt: null,
    });
    await this.enqueue(created);
    await this.audit.record({
      action: AuditAction.BankImportCreated,
      targetType: 'bank_import',
      targetId: id,
      metadata: {
        bankAccountId,
        format,
        fileName: created.fileName,
        fileSize: created.fileSize,
        sha256: created.sha256,
        profileId,
      },
    });
    return importView(created);
  }

  private async enqueue(imp: BankImportDoc): Promise<void> {
    await this.jobs.add(
      JobName.BankImport,
      { organizationId: imp.organizationId, importId: imp._id, requestedBy: imp.createdBy },
      { jobId: jobIdFor(JobName.BankImport, imp._id) },
    );
  }

  async get(id: string): Promise<ImportView> {
    const imp = await this.imports.findById(id);
    if (!imp) throw notFound('bank_import');
    if (
      imp.status === 'queued' &&
      this.clock.now().getTime() - new Date(imp.createdAt).getTime() > REQUEUE_AFTER_MS
    )
      await this.enqueue(imp);
    return importView(imp);
  }

  async list(filter: { bankAccountId?: string }, page: PageRequest): Promise<Page<ImportView>> {
    const result = await this.imports.page(
      filter.bankAccountId ? { bankAccountId: filter.bankAccountId } : {},
      page,
    );
    return { items: result.items.map(importView), nextCursor: result.nextCursor };
  }

  // ---------------------------------------------------------------- job (handlers in imports.jobs.ts)

  /** The import job: parses the stored file into lines, then matches them. Safe to run twice. */
  async runImport(payload: JobPayloads[JobName.BankImport]): Promise<void> {
    const imp = await this.imports.findById(payload.importId);
    if (!imp || imp.status === 'done' || imp.status === 'failed') return;
    await this.imports.set(imp._id, { status: 'processing', startedAt: imp.startedAt ?? this.clock.now() });
    const bytes = await this.files.bytes(imp._id);
    if (!bytes)
      return this.fail(payload, { code: 'IMPORT_FILE_UNREADABLE', detail: 'The uploaded file is missing' });

    let parsed: { lines: ParsedStatementLine[]; rejected: RejectedRow[]; encoding: string | null };
    try {
      if (imp.format === 'camt053') {
        const result = parseCamt053(bytes);
        parsed = { ...result, encoding: 'utf-8' };
      } else {
        if (!imp.mapping)
          return this.fail(payload, { code: 'IMPORT_FILE_UNREADABLE', detail: 'No CSV column mapping' });
        const result = parseCsvStatement(bytes, imp.mapping);
        parsed = { lines: result.lines, rejected: result.rejected, encoding: result.encoding };
      }
    } catch (error) {
      if (error instanceof StatementFormatError)
        return this.fail(payload, { code: 'IMPORT_FILE_UNREADABLE', detail: error.message });
      throw error;
    }

    const account = await this.accounts.findById(imp.bankAccountId, { withDeleted: true });
    const currency = account?.currency ?? 'SEK';
    const keys = dedupKeys(imp.bankAccountId, parsed.lines);
    const duplicates: RejectedRow[] = [];
    let created = 0;
    const total = parsed.lines.length;
    await this.imports.set(imp._id, { progress: { processed: 0, total }, encoding: parsed.encoding });
    // A key met earlier in the same file (a bank reference repeated within one statement) is a duplicate of that
    // line and is not inserted, so a duplicate-key error below that names this import always means "inserted by an
    // earlier attempt of this job" (a worker killed mid-import, then retried): those count as created.
    const firstOfKey = new Map<string, number>();
    for (let i = 0; i < total; i++) if (!firstOfKey.has(keys[i])) firstOfKey.set(keys[i], i);
    for (let start = 0; start < total; start += BATCH) {
      const batch: ParsedStatementLine[] = [];
      const batchKeys: string[] = [];
      for (let i = start; i < Math.min(total, start + BATCH); i++) {
        const first = firstOfKey.get(keys[i]) ?? i;
        if (first !== i)
          duplicates.push({
            line: parsed.lines[i].lineNo,
            reason: `Repeats line ${parsed.lines[first].lineNo} of this file`,
          });
        else {
          batch.push(parsed.lines[i]);
          batchKeys.push(keys[i]);
        }
      }
      const ids = batch.length ? await this.ids.reserveGlobalIds(batch.length) : [];
      const docs: NewBankLine[] = batch.map((l, k) => ({
        _id: ids[k],
        bankAccountId: imp.bankAccountId,
        importId: imp._id,
        lineNo: l.lineNo,
        bookingDate: l.bookingDate,
        valueDate: l.valueDate,
        period: periodOf(l.bookingDate),
        amount: l.amount,
        currency: l.currency ?? currency,
        text: l.text.slice(0, 500),
        reference: l.reference?.slice(0, 100) ?? null,
        counterpartyName: l.counterpartyName?.slice(0, 200) ?? null,
        bankReference: l.bankReference?.slice(0, 200) ?? null,
        endToEndId: l.endToEndId?.slice(0, 200) ?? null,
        balance: l.balance,
        transactionCode: l.transactionCode?.slice(0, 100) ?? null,
        searchText: [l.text, l.counterpartyName, l.reference]
          .filter(Boolean)
          .join(' ')
          .toLowerCase()
          .slice(0, 800),
        dedupKey: batchKeys[k],
        status: 'unmatched',
        generation: 0,
        suggestions: [],
        suggestedAt: null,
        suggestionsGeneration: null,
        matchId: null,
        voucherId: null,
        ignored: null,
      }));
      const result = await this.lines.insertBatch(docs);
      created += result.inserted;
      if (result.duplicates.length) {
        const owners = await this.lines.byDedupKeys(result.duplicates.map((i) => docs[i].dedupKey));
        for (const i of result.duplicates) {
          const owner = owners.get(docs[i].dedupKey);
          // A retry of this job finds its own earlier inserts: those count as created, not as duplicates.
          if (owner === imp._id) created++;
          else
            duplicates.push({
              line: batch[i].lineNo,
              reason: owner ? `Already imported (import ${owner})` : 'Already imported',
            });
        }
      }
      await this.imports.set(imp._id, {
        progress: { processed: Math.min(total, start + BATCH), total },
        counts: {
          created,
          duplicates: duplicates.length,
          rejected: parsed.rejected.length,
          suggested: 0,
          autoBooked: 0,
        },
      });
    }

    duplicates.sort((x, y) => x.line - y.line);
    const { suggested, autoBooked } = await this.matchOpenLines({ importId: imp._id });
    const finished = await this.imports.set(imp._id, {
      status: 'done',
      finishedAt: this.clock.now(),
      counts: {
        created,
        duplicates: duplicates.length,
        rejected: parsed.rejected.length,
        suggested,
        autoBooked,
      },
      duplicates: duplicates.slice(0, MAX_DETAILS),
      rejected: parsed.rejected.slice(0, MAX_DETAILS),
      detailsTruncated: duplicates.length > MAX_DETAILS || parsed.rejected.length > MAX_DETAILS,
    });
    await this.audit.record({
      action: AuditAction.BankImportCompleted,
      actorId: payload.requestedBy,
      targetType: 'bank_import',
      targetId: imp._id,
      changes: diffFields(imp, finished, ['status']),
      metadata: {
        created,
        duplicates: duplicates.length,
        rejected: parsed.rejected.length,
        suggested,
        autoBooked,
      },
    });
  }

  /** Marks an unfinished import failed (audited as its requester); a finished one is left as it is. */
  async fail(payload: JobPayloads[JobName.BankImport], failure: ImportFailure): Promise<void> {
    const before = await this.imports.findById(payload.importId);
    if (!before || before.status === 'done' || before.status === 'failed') return;
    const text = failureText(failure);
    await this.imports.set(payload.importId, {
      status: 'failed',
      error: text.en,
      errorCode: failure.code,
      errorText: text,
      finishedAt: this.clock.now(),
    });
    await this.audit.record({
      action: AuditAction.BankImportFailed,
      actorId: payload.requestedBy,
      targetType: 'bank_import',
      targetId: payload.importId,
      metadata: { code: failure.code, error: text.en },
    });
  }

  /**
   * Recomputes suggestions for open lines (of one import, or all of the organization) and books automatically
   * where the counterparty's policy is active and the batch decision is unique and above the bar.
   */
  async matchOpenLines(scope: { importId?: string }): Promise<{ suggested: number; autoBooked: number }> {
    let suggested = 0;
    let autoBooked = 0;
    let afterId: string | undefined;
    for (;;) {
      const lines: BankLineDoc[] = await this.lines.openLines({
        importId: scope.importId,
        afterId,
        limit: 500,
      });
      if (!lines.length) break;
      afterId = lines[lines.length - 1]._id;
      const result = await this.matching.refresh(lines);
      suggested += result.suggested;
      for (const { line, suggestion } of result.decisions) {
        const policy = await this.policies.activeFor(suggestion.counterpartyKey);
        if (!policy) continue;
        const booked = await this.booking.autoBook(line, suggestion, policy);
        if (booked) {
          autoBooked++;
          suggested = Math.max(0, suggested - 1);
        }
      }
      if (lines.length < 500) break;
    }
    return { suggested, autoBooked };
  }

  /** One rematch per organization at a time: a second request answers the same job (generation.service.ts). */
  async requestRematch(): Promise<{ queued: true; jobId: string }> {
    this.context.requireActor();
    const { jobId } = await this.generation.requestRematch();
    return { queued: true, jobId };
  }

  // ---------------------------------------------------------------- CSV profiles

  async saveProfile(name: string, mapping: CsvMapping): Promise<CsvProfileView> {
    const actor = this.context.requireActor();
    const profile = await this.profiles.add({
      _id: await this.ids.getNextGlobalId(),
      name: name.trim(),
      nameKey: nameKey(name),
      mapping,
      createdBy: actor.userId,
    });
    if (profile === TAKEN) throw new BankError('CSV_PROFILE_NAME_TAKEN');
    await this.audit.record({
      action: AuditAction.BankCsvProfileSaved,
      targetType: 'bank_csv_profile',
      targetId: profile._id,
      changes: { before: {}, after: { name: profile.name, mapping } },
    });
    return profileView(profile);
  }

  async listProfiles(): Promise<CsvProfileView[]> {
    return (await this.profiles.list()).map(profileView);
  }

  async getProfile(id: string): Promise<CsvProfileView> {
    const profile = await this.profiles.findById(id);
    if (!profile) throw notFound('csv_profile');
    return profileView(profile);
  }

  async updateProfile(id: string, patch: { name?: string; mapping?: CsvMapping }): Promise<CsvProfileView> {
    const current = await this.profiles.findById(id);
    if (!current) throw notFound('csv_profile');
    if (patch.name !== undefined) {
      const other = await this.profiles.findByNameKey(nameKey(patch.name));
      if (other && other._id !== id) throw new BankError('CSV_PROFILE_NAME_TAKEN');
    }
    const set: Partial<CsvProfileDoc> = {};
    if (patch.name !== undefined)
      Object.assign(set, { name: patch.name.trim(), nameKey: nameKey(patch.name) });
    if (patch.mapping !== undefined) set.mapping = patch.mapping;
    const result = await this.profiles.change(id, set);
    if (result === TAKEN) throw new BankError('CSV_PROFILE_NAME_TAKEN');
    if (!result) throw notFound('csv_profile');
    await this.audit.record({
      action: AuditAction.BankCsvProfileSaved,
      targetType: 'bank_csv_profile',
      targetId: id,
      changes: diffFields(result.before, result.after, ['name', 'mapping']),
    });
    return profileView(result.after);
  }

  async deleteProfile(id: string): Promise<void> {
    const current = await this.profiles.findById(id);
    if (!current || !(await this.profiles.remove(id))) throw notFound('csv_profile');
    await this.audit.record({
      action: AuditAction.BankCsvProfileDeleted,
      targetType: 'bank_csv_profile',
      targetId: id,
      changes: { before: { name: current.name }, after: {} },
    });
  }
}
