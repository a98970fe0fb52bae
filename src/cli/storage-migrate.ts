/**
 * `npm run storage:migrate -- [--dry-run] [--from DIR] [--concurrency N] [--verify-existing] [--json]`
 *
 * Copies every file of the local storage (UPLOADS_DIR, or --from) into the S3 bucket of S3_* (docs/storage.md),
 * under the same key, and checks each copy by reading it back and comparing SHA-256 with the source. Safe to stop
 * and run again (resumable and idempotent): an object already in the bucket with the source's size and SHA-256 is
 * not sent again; one whose read-back was checked by an earlier run (recorded in the journal
 * `<from>/.storage-migrate-<bucket>.jsonl`) is skipped without reading it, unless --verify-existing. Local files
 * are never changed or removed. --dry-run reads and hashes the sources, asks the bucket what it has, writes
 * nothing, and says what a run would do.
 *
 * Exit codes: 0 every file is in the bucket and verified (or would be, with --dry-run), 1 some file failed (listed),
 * 2 usage or configuration error. Reads only the storage variables (STORAGE_DRIVER may still be `local`);
 * with S3_CREATE_BUCKET=true a missing bucket is created first.
 */
import { createReadStream } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { storageConfigOf } from '../config/app-config';
import { storageEnvSchema } from '../config/config.schema';
import type { FileStorage, ObjectInfo } from '../infrastructure/storage/file-storage';
import { hashStream } from '../infrastructure/storage/hashing';
import { LocalDiskStorage } from '../infrastructure/storage/local-disk.storage';
import { S3Storage } from '../infrastructure/storage/s3.storage';

export type MigrationOutcome =
  | 'copied' // sent and verified
  | 'replaced' // an object with other bytes was there: sent again and verified
  | 'verified' // already there with the same size and SHA-256; read back and checked
  | 'skipped' // already there and checked by an earlier run (journal)
  | 'would-copy' // --dry-run: missing or different in the bucket
  | 'would-verify' // --dry-run: there with matching metadata, not yet read back
  | 'failed';

export interface MigrationFileResult {
  key: string;
  size: number;
  sha256: string | null;
  outcome: MigrationOutcome;
  error?: string;
}

export interface MigrationReport {
  source: string;
  target: string;
  dryRun: boolean;
  files: number;
  bytes: number;
  counts: Record<MigrationOutcome, number>;
  failures: MigrationFileResult[];
  durationMs: number;
}

export interface MigrationOptions {
  source: LocalDiskStorage;
  target: FileStorage;
  dryRun?: boolean;
  concurrency?: number;
  /** Read back and hash objects even when the journal says an earlier run checked them. */
  verifyExisting?: boolean;
  /** JSON Lines of verified keys ({key, sha256}); null → no journal. */
  journalPath?: string | null;
  onFile?: (result: MigrationFileResult) => void;
}

const OUTCOMES: MigrationOutcome[] = [
  'copied',
  'replaced',
  'verified',
  'skipped',
  'would-copy',
  'would-verify',
  'failed',
];

async function readJournal(path: string | null | undefined): Promise<Map<string, string>> {
  const verified = new Map<string, string>();
  if (!path) return verified;
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return verified;
    throw error;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { key?: unknown; sha256?: unknown };
      if (typeof entry.key === 'string' && typeof entry.sha256 === 'string')
        verified.set(entry.key, entry.sha256);
    } catch {
      // a line cut short by a crash: that key is simply checked again
    }
  }
  return verified;
}

/** Copies and verifies every file of `source` into `target`. Never throws for one file: see the report. */
export async function migrateToObjectStorage(options: MigrationOptions): Promise<MigrationReport> {
  const { source, target, dryRun = false, verifyExisting = false } = options;
  const concurrency = Math.max(1, Math.min(32, options.concurrency ?? 4));
  const journalPath = options.journalPath ?? null;
  const journal = await readJournal(journalPath);
  const started = Date.now();
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<MigrationOutcome, number>;
  const failures: MigrationFileResult[] = [];
  let files = 0;
  let bytes = 0;

  const record = async (key: string, sha256: string) => {
    journal.set(key, sha256);
    if (journalPath && !dryRun) await appendFile(journalPath, `${JSON.stringify({ key, sha256 })}\n`);
  };

  const readBackMatches = async (key: string, sha256: string, size: number): Promise<boolean> => {
    const object = await target.get(key);
    const back = await hashStream(object.body);
    return back.sha256 === sha256 && back.size === size;
  };

  const migrateOne = async (file: ObjectInfo): Promise<MigrationFileResult> => {
    const key = file.key;
    let sha256: string | null = null;
    try {
      const local = await hashStream(createReadStream(source.pathOf(key)));
      sha256 = local.sha256;
      const there = await target.stat(key);
      const same = there !== null && there.size === local.size && there.sha256 === local.sha256;
      if (same) {
        if (!verifyExisting && journal.get(key) === local.sha256)
          return { key, size: local.size, sha256, outcome: 'skipped' };
        if (dryRun) return { key, size: local.size, sha256, outcome: 'would-verify' };
        if (await readBackMatches(key, local.sha256, local.size)) {
          await record(key, local.sha256);
          return { key, size: local.size, sha256, outcome: 'verified' };
        }
      }
      if (dryRun) return { key, size: local.size, sha256, outcome: 'would-copy' };
      // The bytes are checked on the way (a file changed since it was hashed is refused), then read back.
      await target.put(key, createReadStream(source.pathOf(key)), { sha256: local.sha256, size: local.size });
      if (!(await readBackMatches(key, local.sha256, local.size))) {
        await target.delete(key).catch(() => undefined);
        throw new Error('the copy read back from the bucket has another SHA-256');
      }
      await record(key, local.sha256);
      return { key, size: local.size, sha256, outcome: there ? 'replaced' : 'copied' };
    } catch (error) {
      return { key, size: file.size, sha256, outcome: 'failed', error: (error as Error).message };
    }
  };

  const queue = source.list('')[Symbol.asyncIterator]();
  const next = async (): Promise<ObjectInfo | null> => {
    const item = await queue.next();
    return item.done ? null : item.value;
  };
  // One shared iterator, pulled by `concurrency` workers in turn (an async generator serialises its next() calls).
  const worker = async () => {
    for (let file = await next(); file; file = await next()) {
      const result = await migrateOne(file);
      files += 1;
      bytes += result.size;
      counts[result.outcome] += 1;
      if (result.outcome === 'failed') failures.push(result);
      options.onFile?.(result);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    source: source.location,
    target: target.location,
    dryRun,
    files,
    bytes,
    counts,
    failures,
    durationMs: Date.now() - started,
  };
}

// ---- the command ----

const USAGE = `usage: npm run storage:migrate -- [--dry-run] [--from DIR] [--concurrency N] [--verify-existing] [--json]
  Copies UPLOADS_DIR (or DIR) into the bucket of S3_BUCKET / S3_ENDPOINT / S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY
  (S3_REGION, S3_PREFIX, S3_FORCE_PATH_STYLE), verifying SHA-256. Safe to interrupt and run again.`;

class UsageError extends Error {}

export interface CliArgs {
  dryRun: boolean;
  from: string | null;
  concurrency: number;
  verifyExisting: boolean;
  json: boolean;
  help: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    dryRun: false,
    from: null,
    concurrency: 4,
    verifyExisting: false,
    json: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--dry-run':
        args.dryRun = true;
        break;
      case '--from':
        args.from = value();
        break;
      case '--concurrency': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 32) throw new UsageError('--concurrency takes 1 to 32');
        args.concurrency = n;
        break;
      }
      case '--verify-existing':
        args.verifyExisting = true;
        break;
      case '--json':
        args.json = true;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown argument "${argv[i]}"`);
    }
  }
  return args;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Runs the command; resolves with the exit code. `print` gets every line meant for people (or the JSON). */
export async function runStorageMigrate(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    print(`storage:migrate: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    print(USAGE);
    return 0;
  }
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = storageEnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    print(`storage:migrate: invalid configuration: ${problems}`);
    return 2;
  }
  const config = storageConfigOf(parsed.data);
  if (!config.s3) {
    print(
      'storage:migrate: set S3_BUCKET (and S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY) to copy into',
    );
    return 2;
  }
  const source = new LocalDiskStorage(args.from ?? config.local.dir);
  const target = new S3Storage(config.s3);
  try {
    if (config.s3.createBucket && !args.dryRun) {
      try {
        await target.ensureBucket();
      } catch {
        // the probe below says why
      }
    }
    const probe = await target.probe(10_000);
    if (!probe.ok) {
      print(`storage:migrate: ${probe.error}`);
      return 1;
    }
    if (!args.json) print(`${args.dryRun ? 'Dry run: ' : ''}${source.location} → ${target.location}`);
    const report = await migrateToObjectStorage({
      source,
      target,
      dryRun: args.dryRun,
      concurrency: args.concurrency,
      verifyExisting: args.verifyExisting,
      journalPath: join(source.root, `.storage-migrate-${config.s3.bucket}.jsonl`),
      onFile: (r) => {
        if (args.json || r.outcome === 'skipped') return;
        print(`${r.outcome.padEnd(12)} ${r.key} (${r.size} B)${r.error ? `: ${r.error}` : ''}`);
      },
    });
    if (args.json) {
      print(JSON.stringify(report, null, 2));
    } else {
      const c = report.counts;
      const parts = args.dryRun
        ? [
            `would copy ${c['would-copy']}`,
            `would verify ${c['would-verify']}`,
            `already verified ${c.skipped}`,
          ]
        : [
            `copied ${c.copied}`,
            `replaced ${c.replaced}`,
            `verified ${c.verified}`,
            `already verified ${c.skipped}`,
          ];
      print(
        `${report.files} files (${mb(report.bytes)}) in ${(report.durationMs / 1000).toFixed(1)} s: ` +
          `${parts.join(', ')}, failed ${c.failed}`,
      );
      for (const f of report.failures) print(`FAILED ${f.key}: ${f.error}`);
    }
    return report.counts.failed > 0 ? 1 : 0;
  } finally {
    target.destroy();
  }
}

if (require.main === module) {
  runStorageMigrate(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('storage:migrate failed:', error);
      process.exitCode = 1;
    },
  );
}
