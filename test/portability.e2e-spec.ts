import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Response } from 'superagent';
import * as yauzl from 'yauzl';
import { ZipWriter, type ZipEntryOptions } from '../src/modules/portability/archive/zip-writer';
import { ARCHIVE_LIMITS } from '../src/modules/portability/archive/zip-reader';
import { RetentionService } from '../src/modules/portability/retention.service';
import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { minimalPdf, pngWithGps } from './helpers/upload-fixtures';
import { uploadAndWait } from './helpers/uploads-api';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Export and import of a whole organization on the real services: an organization with every portable record type
 * and files → export → import into another organization (dry run, apply) → export again: equal apart from ids and
 * timestamps, with every reference pointing at the same records. Importing twice creates nothing; a read-only
 * organization exports; another organization's export is a 404; hostile archives are refused and write nothing.
 */

const api = (path: string) => `/api/v1${path}`;
const binary = (res: Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Bank data and the bookkeeping: in the export, never imported (docs/portability.md). */
const EXPORT_ONLY_FILES = [
  'bank_accounts',
  'bank_lines',
  'bank_imports',
  'bank_matches',
  'bank_policies',
  'bank_policy_events',
  'bank_csv_profiles',
  'vouchers',
  'voucher_corrections',
  'bookkeeping_settings',
];

/**
 * What an import can bring back: the archive without the export-only files, and the links to them that the import
 * drops (`bankLineId` → null), as the importing organization's own export shows them.
 */
function importablePart(entries: Map<string, Buffer>): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  for (const [path, data] of entries) {
    const file = /^records\/(.+)\.jsonl$/.exec(path)?.[1];
    if (file && EXPORT_ONLY_FILES.includes(file)) continue;
    if (file === 'transactions' || file === 'bills') {
      const lines = data
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.stringify({ ...(JSON.parse(l) as object), bankLineId: null }));
      result.set(path, Buffer.from(lines.map((l) => `${l}\n`).join('')));
    } else result.set(path, data);
  }
  return result;
}

/** A camt.053 statement with one booked entry (see test/bank.e2e-spec.ts for the full builder). */
const camtStatement = (amount: number, date: string, ref: string, text: string) =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>${date}T10:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>S1</Id><Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id></Acct>
<Ntry><Amt Ccy="SEK">${(Math.abs(amount) / 100).toFixed(2)}</Amt><CdtDbtInd>${amount < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd>
  <Sts>BOOK</Sts><BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${date}</Dt></ValDt><AcctSvcrRef>${ref}</AcctSvcrRef>
  <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
    </Stmt></BkToCstmrStmt></Document>`);

interface Job {
  id: string;
  status: string;
  progress: { done: number; total: number };
  downloadUrl: string | null;
  plan: {
    types?: Record<
      string,
      {
        inArchive: number;
        create: number;
        reuse: number;
        alreadyImported: number;
        notImported?: number;
        reason?: { sv: string; en: string };
      }
    >;
    conflicts?: { type: string; value: string }[];
  } | null;
}
interface ManifestEntry {
  path: string;
  kind: string;
  type?: string;
  count?: number;
  size: number;
  sha256: string;
}
interface Manifest {
  formatVersion: number;
  organization: { id: string };
  counts: Record<string, number>;
  files: ManifestEntry[];
}

/** Every entry of a ZIP, read with yauzl directly (not the code under test). */
function unzip(data: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/**
 * A ZIP of these entries, in order, by the code under test's writer. That writer (yazl) refuses unsafe names, so such
 * a name is written as a placeholder of the same length and patched into the bytes afterwards (local header and
 * central directory; no checksum covers a name) — the archive an attacker would hand-craft.
 */
async function zipOf(entries: [string, Buffer, ZipEntryOptions?][]): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const zip = new ZipWriter(out);
  const patches: [Buffer, Buffer][] = [];
  for (const [i, [name, data, options]] of entries.entries()) {
    const unsafe = name.startsWith('/') || name.split(/[\\/]/).includes('..') || name.includes('\\');
    const placeholder = unsafe ? `${i}`.padStart(Buffer.byteLength(name), 'Z') : name;
    if (unsafe) patches.push([Buffer.from(placeholder), Buffer.from(name)]);
    await zip.add(placeholder, data, options);
  }
  await zip.finish();
  let bytes = Buffer.concat(parts);
  for (const [from, to] of patches)
    for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) {
      bytes = Buffer.concat([bytes.subarray(0, at), to, bytes.subarray(at + to.length)]);
    }
  return bytes;
}

/** The entries with a manifest whose hashes, sizes and counts are right for them (so only the intended lie remains). */
function withHonestManifest(entries: Map<string, Buffer>, base: Manifest): [string, Buffer][] {
  const files: ManifestEntry[] = [];
  const counts: Record<string, number> = {};
  for (const [path, data] of entries) {
    if (path === 'manifest.json') continue;
    const old = base.files.find((f) => f.path === path);
    const entry: ManifestEntry = {
      ...(old ?? { path, kind: 'file', type: 'upload' }),
      size: data.length,
      sha256: sha256(data),
    };
    if (path.startsWith('records/')) {
      entry.count = data
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim()).length;
      if (entry.type) counts[entry.type] = entry.count;
    }
    files.push(entry);
  }
  const manifest = { ...base, counts: { ...base.counts, ...counts }, files };
  return [
    ...[...entries].filter(([p]) => p !== 'manifest.json'),
    ['manifest.json', Buffer.from(JSON.stringify(manifest))],
  ];
}

const rowsOf = (entries: Map<string, Buffer>) => {
  const rows = new Map<string, Record<string, unknown>[]>();
  for (const [path, data] of entries) {
    const m = /^records\/(.+)\.jsonl$/.exec(path);
    if (!m) continue;
    rows.set(
      m[1],
      data
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
  }
  return rows;
};

/**
 * An export with every id replaced by a name that does not depend on ids: `<file>#<n>`, n the row's position when
 * the rows are sorted by their content with ids blanked. References become the referenced row's name, so equal
 * results mean the references were rewritten consistently (a reference to the wrong record gets the wrong name).
 * People (createdBy, uploadedBy…) become USER. Files are named by their owner's and upload's canonical names.
 */
function canonical(
  entries: Map<string, Buffer>,
  users: string[],
): { records: Record<string, string[]>; files: string[] } {
  const rows = rowsOf(entries);
  const ids = new Set<string>();
  for (const list of rows.values()) for (const r of list) ids.add(String(r._id));
  const idPattern = /\b[A-Z]+\d{4,}\b/g;
  const blank = (value: unknown): string =>
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'string'
        ? v.replace(idPattern, (id) => (ids.has(id) || users.includes(id) ? '·' : id))
        : v,
    );
  const name = new Map<string, string>();
  for (const u of users) name.set(u, 'USER');
  // ids first get names from content without references; then a second round with the names of references
  for (let round = 0; round < 3; round++) {
    for (const [file, list] of rows) {
      const keyed = list.map((r) => {
        const { _id, ...rest } = r;
        const text = JSON.stringify(rest, (_k, v: unknown) =>
          typeof v === 'string' ? v.replace(idPattern, (id) => name.get(id) ?? (ids.has(id) ? '·' : id)) : v,
        );
        return { id: String(_id), text: round === 0 ? blank(rest) : text };
      });
      keyed.sort((x, y) => (x.text < y.text ? -1 : x.text > y.text ? 1 : 0));
      keyed.forEach((k, i) => name.set(k.id, `${file}#${i}`));
    }
  }
  const replace = (v: unknown): unknown =>
    typeof v === 'string' ? v.replace(idPattern, (id) => name.get(id) ?? id) : v;
  const records: Record<string, string[]> = {};
  for (const [file, list] of rows)
    records[file] = list.map((r) => JSON.stringify(r, (_k, v: unknown) => replace(v))).sort();
  const files = [...entries]
    .filter(([p]) => p.startsWith('files/'))
    .map(
      ([p, data]) =>
        `${p
          .split('/')
          .map((s) => name.get(s) ?? s)
          .join('/')} ${sha256(data)}`,
    )
    .sort();
  return { records, files };
}

describe('portability (export and import of an organization)', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let c: TestUser;
  let hostileTarget: TestUser;
  let readOnly: TestUser;
  let firstExport: Buffer;
  let firstExportId: string;

  const get = (u: TestUser, path: string) => t.http.get(api(path)).set(u.auth);
  const post = (u: TestUser, path: string, body: object = {}) =>
    t.http.post(api(path)).set(u.auth).send(body);

  async function finished(u: TestUser, path: string): Promise<Job> {
    for (let i = 0; i < 600; i += 1) {
      const job = (await get(u, path).expect(200)).body as Job;
      if (job.status === 'done' || job.status === 'failed') return job;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`${path} not finished`);
  }
  async function exportOf(u: TestUser): Promise<{ id: string; zip: Buffer }> {
    const started = (await post(u, '/export').expect(202)).body as Job;
    expect(started.status).toBe('queued');
    const job = await finished(u, `/export/${started.id}`);
    expect(job.status).toBe('done');
    expect(job.progress.done).toBe(job.progress.total);
    const zip = (
      await t.http
        .get(job.downloadUrl as string)
        .set(u.auth)
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;
    return { id: started.id, zip };
  }
  const upload = (u: TestUser, zip: Buffer) =>
    t.http.post(api('/import')).set(u.auth).attach('file', zip, 'export.zip');

  beforeAll(async () => {
    t = await startTestApp();
    [a, b, c, hostileTarget, readOnly] = await Promise.all([
      createUser(t),
      createUser(t),
      createUser(t),
      createUser(t),
      createUser(t),
    ]);
    await Promise.all([a, b, c, hostileTarget].map((u) => activatePro(t, u.organizationId, 30)));

    // the default categories are seeded on first use: A and C both have them (an import maps A's to C's own)
    await Promise.all([get(a, '/categories').expect(200), get(c, '/categories').expect(200)]);
    // organization A: every portable record type, references between them, and files
    const parent = (await post(a, '/categories', { name: 'Sommarstugan', kind: 'expense' }).expect(201)).body
      .id as string;
    const child = (
      await post(a, '/categories', { name: 'Stugans el', kind: 'expense', parentId: parent }).expect(201)
    ).body.id as string;
    const supplier = (
      await post(a, '/suppliers', {
        name: 'Vattenfall AB',
        aliases: ['vattenfall'],
        defaultCategoryId: child,
      }).expect(201)
    ).body.id as string;
    const store = (await post(a, '/suppliers', { name: 'Elgiganten' }).expect(201)).body.id as string;
    const purchase = (
      await post(a, '/transactions', {
        date: '2026-05-01',
        amount: 1_299_000,
        type: 'expense',
        description: 'Kylskåp',
        supplierId: store,
        categoryId: child,
      }).expect(201)
    ).body.id as string;
    await post(a, '/transactions', {
      date: '2026-11-25',
      amount: 3_250_000,
      type: 'income',
      description: 'Lön november',
    }).expect(201);
    const receipt = await uploadAndWait(t, a, minimalPdf(), 'kvitto.pdf', { recordId: purchase });
    expect(receipt.status).toBe('ready');
    const photo = await uploadAndWait(t, a, await pngWithGps(64, 48), 'bild.png');
    expect(photo.status).toBe('ready');
    await post(a, '/bills', {
      supplierId: supplier,
      amount: 89_000,
      dueDate: '2026-11-05',
      invoiceNumber: 'F-77',
    }).expect(201);
    const contract = (
      await post(a, '/contracts', {
        name: 'Bredband',
        kind: 'broadband',
        frequency: 'monthly',
        amount: 39_900,
        startDate: '2026-01-15',
        bindingMonths: 12,
        notice: { unit: 'month', count: 1 },
        renewalMonths: 12,
        providerId: supplier,
      }).expect(201)
    ).body.id as string;
    await t.http
      .put(api(`/contracts/${contract}/payments/2026-02-15`))
      .set(a.auth)
      .send({ amount: 41_250 })
      .expect(200);
    const car = (
      await post(a, '/cars', {
        registration: 'ABC 123',
        make: 'Volvo',
        model: 'V70',
        odometerUnit: 'km',
        inspectionDue: '2027-05-31',
      }).expect(201)
    ).body.id as string;
    await post(a, `/cars/${car}/events`, {
      type: 'fuel',
      date: '2026-11-01',
      odometer: 10_000,
      cost: 78_000,
      quantity: 40,
      quantityUnit: 'l',
      fullTank: true,
      station: 'Circle K',
    }).expect(201);
    await post(a, '/insurance', {
      type: 'car',
      policyNumber: 'POL-1234-5678',
      premium: 45_000,
      premiumPeriod: 'monthly',
      renewalDate: '2027-03-01',
      deductible: 300_000,
      insurerId: supplier,
      carId: car,
    }).expect(201);
    const task = (
      await post(a, '/maintenance', {
        title: 'Byt filter',
        area: 'Värmepump',
        recurrence: { every: 3, unit: 'month' },
        nextDue: '2026-12-31',
      }).expect(201)
    ).body.id as string;
    await post(a, `/maintenance/${task}/complete`, { cost: 45_000 }).expect(200);
    await post(a, '/warranties', {
      item: 'Kylskåp',
      storeId: store,
      purchaseDate: '2026-05-01',
      price: 1_299_000,
      length: { count: 2, unit: 'years' },
      fromTransactionId: purchase,
      fromUploadId: receipt.id,
    }).expect(201);
    // bank data and the bookkeeping (export-only): an account, an imported statement line booked as a new
    // transaction, which writes a voucher
    const bankAccount = (
      await post(a, '/bank/accounts', {
        name: 'Privatkonto',
        bank: 'Swedbank',
        clearingNumber: '8327-9',
        accountNumber: '123 456 789-0',
      }).expect(201)
    ).body.id as string;
    const statement = await t.http
      .post(api(`/bank/accounts/${bankAccount}/imports`))
      .set(a.auth)
      .attach('file', camtStatement(-12_345, '2026-11-20', 'P-1', 'Kiosken'), 'november.xml')
      .expect(202);
    let bankImport = { status: 'queued' };
    for (let i = 0; i < 300 && bankImport.status !== 'done' && bankImport.status !== 'failed'; i++) {
      await new Promise((res) => setTimeout(res, 50));
      bankImport = (await get(a, `/bank/imports/${statement.body.id as string}`).expect(200)).body as {
        status: string;
      };
    }
    expect(bankImport.status).toBe('done');
    const line = ((await get(a, '/bank/lines?limit=10').expect(200)).body.items as { id: string }[])[0];
    const booked = await post(a, `/bank/lines/${line.id}/approve`, { create: { categoryId: child } }).expect(
      200,
    );
    expect(booked.body.voucher).toBeTruthy();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('exports every record type and file with a manifest whose counts and hashes verify', async () => {
    const { id, zip } = await exportOf(a);
    firstExport = zip;
    firstExportId = id;
    const entries = await unzip(zip);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.organization.id).toBe(a.organizationId);
    expect(new Set(manifest.files.map((f) => f.path))).toEqual(
      new Set([...entries.keys()].filter((p) => p !== 'manifest.json')),
    );
    for (const file of manifest.files) {
      const data = entries.get(file.path)!;
      expect(sha256(data)).toBe(file.sha256);
      expect(data.length).toBe(file.size);
      if (file.kind === 'records')
        expect(
          data
            .toString()
            .split('\n')
            .filter((l) => l).length,
        ).toBe(file.count);
    }
    for (const type of [
      'category',
      'supplier',
      'transaction',
      'bill',
      'contract',
      'contract_payment',
      'car',
      'car_event',
      'insurance_policy',
      'maintenance_task',
      'maintenance_completion',
      'warranty',
      'upload',
      'bank_account',
      'bank_line',
      'bank_import',
      'bank_match',
      'voucher',
    ])
      expect(manifest.counts[type]).toBeGreaterThan(0);
    for (const file of EXPORT_ONLY_FILES) expect(entries.has(`records/${file}.jsonl`)).toBe(true);
    const rows = rowsOf(entries);
    // the policy number travels readable (the archive is the organization's own data), never the ciphertext
    expect(rows.get('insurance_policies')![0]).toMatchObject({ policyNumber: 'POL-1234-5678' });
    expect(rows.get('insurance_policies')![0]).not.toHaveProperty('policyNumberEnc');
    expect(rows.get('transactions')!.every((r) => !('organizationId' in r))).toBe(true);
    // so do the bank account's numbers; the voucher keeps its number, rows and when it was recorded
    expect(rows.get('bank_accounts')![0]).toMatchObject({
      clearingNumber: '8327-9',
      accountNumber: '1234567890',
    });
    expect(rows.get('bank_accounts')![0]).not.toHaveProperty('accountNumberEnc');
    const [voucher] = rows.get('vouchers')!;
    expect(voucher).toMatchObject({ series: expect.any(String), number: 1, date: '2026-11-20' });
    expect((voucher.rows as unknown[]).length).toBeGreaterThanOrEqual(2);
    expect(voucher.registeredAt).toEqual(expect.any(String));
    const bankLine = rows.get('bank_lines')![0];
    expect(rows.get('transactions')!.some((r) => r.bankLineId === bankLine._id)).toBe(true);
    // the receipt is under its transaction; the loose photo under itself
    const files = [...entries.keys()].filter((p) => p.startsWith('files/'));
    expect(files.some((p) => p.startsWith('files/transaction/'))).toBe(true);
    expect(files.some((p) => p.startsWith('files/upload/'))).toBe(true);
  });

  it('imports into another organization (dry run, then apply) and exports the same again', async () => {
    const dry = await upload(c, firstExport).expect(201);
    const plan = (dry.body as Job).plan!;
    expect((dry.body as Job).status).toBe('ready');
    expect(plan.types!.transaction).toEqual({ inArchive: 3, create: 3, reuse: 0, alreadyImported: 0 });
    // bank data and the bookkeeping: counted, not imported, with the reason in sv and en
    for (const type of ['bank_account', 'bank_line', 'voucher']) {
      expect(plan.types![type]).toMatchObject({ create: 0, reuse: 0, alreadyImported: 0 });
      expect(plan.types![type].notImported).toBe(plan.types![type].inArchive);
      expect(plan.types![type].inArchive).toBeGreaterThan(0);
    }
    expect(plan.types!.voucher.reason!.sv).toContain('nummerserie');
    expect(plan.types!.voucher.reason!.en).toContain('number series');
    expect(plan.types!.bank_line.reason!.en).toContain('statements');
    // C's default categories have the same names as A's: mapped to C's own, reported as conflicts
    expect(plan.types!.category.reuse).toBeGreaterThan(0);
    expect(plan.types!.category.create).toBe(2);
    expect(plan.conflicts!.every((x) => x.type === 'category')).toBe(true);
    // nothing written by the dry run
    expect(await t.db.collection('transactions').countDocuments({ organizationId: c.organizationId })).toBe(
      0,
    );

    await post(c, `/import/${(dry.body as Job).id}/apply`).expect(202);
    const applied = await finished(c, `/import/${(dry.body as Job).id}`);
    expect(applied.status).toBe('done');
    await post(c, `/import/${(dry.body as Job).id}/apply`).expect(409);

    const again = await exportOf(c);
    for (const collection of ['bank_accounts', 'bank_lines', 'vouchers'])
      expect(await t.db.collection(collection).countDocuments({ organizationId: c.organizationId })).toBe(0);
    const first = canonical(importablePart(await unzip(firstExport)), [a.id]);
    const second = canonical(importablePart(await unzip(again.zip)), [c.id]);
    expect(second.records).toEqual(first.records);
    expect(second.files).toEqual(first.files);
    expect(first.files.length).toBeGreaterThanOrEqual(2);

    // the imported records are in C's reminder schedule (one full run after the import), like A's
    const scheduled = async (organizationId: string) =>
      (
        await t.db
          .collection('reminder_checks')
          .distinct('sourceType', { _id: { $regex: `^${organizationId}:` } } as Record<string, unknown>)
      )
        .map(String)
        .sort();
    const expected = await scheduled(a.organizationId);
    expect(expected.length).toBeGreaterThan(0);
    let got: string[] = [];
    for (let i = 0; i < 100 && got.length < expected.length; i++) {
      got = await scheduled(c.organizationId);
      if (got.length < expected.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(got).toEqual(expected);

    // audit entries and the notification for whoever started it
    let told = 0;
    for (let i = 0; i < 100 && !told; i++) {
      told = await t.db.collection('notifications').countDocuments({ userId: c.id, kind: 'import' });
      if (!told) await new Promise((res) => setTimeout(res, 50));
    }
    expect(told).toBe(1);
    const actions = (
      await t.db.collection('audit_entries').find({ organizationId: c.organizationId }).toArray()
    ).map((e) => e.action as string);
    expect(actions).toEqual(
      expect.arrayContaining([
        'organization.import_analyzed',
        'organization.import_applied',
        'organization.export_requested',
      ]),
    );
  });

  it('importing the same archive again creates nothing', async () => {
    const before = await t.db.collection('transactions').countDocuments({ organizationId: c.organizationId });
    const dry = await upload(c, firstExport).expect(201);
    const types = (dry.body as Job).plan!.types!;
    for (const plan of Object.values(types)) expect(plan.create).toBe(0);
    expect(types.transaction.alreadyImported).toBe(3);
    await post(c, `/import/${(dry.body as Job).id}/apply`).expect(202);
    expect((await finished(c, `/import/${(dry.body as Job).id}`)).status).toBe('done');
    expect(await t.db.collection('transactions').countDocuments({ organizationId: c.organizationId })).toBe(
      before,
    );
    expect(await t.db.collection('uploads').countDocuments({ organizationId: c.organizationId })).toBe(2);
  });

  it('a read-only organization can export (but not import)', async () => {
    const { zip } = await exportOf(readOnly);
    expect((await unzip(zip)).has('manifest.json')).toBe(true);
    const refused = await upload(readOnly, firstExport).expect(403);
    expect(refused.body.code).toBe('ACCOUNT_READ_ONLY');
  });

  it("another organization's export is the same 404 as a missing one", async () => {
    const missing = await get(b, '/export/A999999999').expect(404);
    const other = await get(b, `/export/${firstExportId}`).expect(404);
    const otherFile = await get(b, `/export/${firstExportId}/file`).expect(404);
    const strip = (r: { body: Record<string, unknown> }) => ({ ...r.body, requestId: undefined });
    expect(strip(other)).toEqual(strip(missing));
    expect(strip(otherFile)).toEqual(strip(missing));
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    await post(b, `/import/${firstExportId}/apply`).expect(404);
  });

  it("a person's own data export (GDPR) lists their account, memberships, events and what they created", async () => {
    const res = await t.http.get(api('/me/export')).set(a.auth).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('application/zip');
    const entries = await unzip(res.body as Buffer);
    const account = JSON.parse(entries.get('account.json')!.toString()) as Record<string, unknown>;
    expect(account).toMatchObject({ id: a.id, email: a.email });
    expect(JSON.stringify(account)).not.toMatch(/passwordHash|\$argon|\$2[aby]\$/);
    const memberships = JSON.parse(entries.get('memberships.json')!.toString()) as { id: string }[];
    expect(memberships.map((m) => m.id)).toContain(a.organizationId);
    expect(entries.get('security-events.jsonl')!.toString()).toContain('"type"');
    const mine = entries
      .get(`organizations/${a.organizationId}/transactions.jsonl`)!
      .toString()
      .trim()
      .split('\n');
    expect(mine).toHaveLength(3);
    // not the organization's books (export-only types): the voucher their booking wrote, the account numbers
    expect(entries.has(`organizations/${a.organizationId}/vouchers.jsonl`)).toBe(false);
    expect(entries.has(`organizations/${a.organizationId}/bank_accounts.jsonl`)).toBe(false);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest & { format: string };
    expect(manifest.format).toBe('westwallet-personal-export');
    for (const file of manifest.files) expect(sha256(entries.get(file.path)!)).toBe(file.sha256);
    // not tied to an organization: read-only mode does not block it
    await t.http.get(api('/me/export')).set(readOnly.auth).expect(200);
    await t.http.get(api('/me/export')).expect(401);
  });

  describe('hostile archives are refused with a clear 4xx and nothing written', () => {
    let base: Map<string, Buffer>;
    let manifest: Manifest;
    beforeAll(async () => {
      firstExport ??= (await exportOf(a)).zip; // when run alone (-t)
      base = await unzip(firstExport);
      manifest = JSON.parse(base.get('manifest.json')!.toString('utf8')) as Manifest;
    });
    afterEach(async () => {
      expect(
        await t.db
          .collection('portability_jobs')
          .countDocuments({ organizationId: hostileTarget.organizationId }),
      ).toBe(0);
      expect(
        await t.db
          .collection('transactions')
          .countDocuments({ organizationId: hostileTarget.organizationId }),
      ).toBe(0);
      expect(
        await t.db
          .collection('portability_id_map')
          .countDocuments({ organizationId: hostileTarget.organizationId }),
      ).toBe(0);
    });
    const refuse = async (zip: Buffer, status: number, code: string) => {
      const res = await upload(hostileTarget, zip);
      if (res.status !== status) console.log(JSON.stringify(res.body));
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
      expect(typeof res.body.message).toBe('string');
      return res.body as { details?: Record<string, unknown> };
    };
    const honest = (entries: Map<string, Buffer>) => zipOf(withHonestManifest(entries, manifest));
    const changed = (path: string, edit: (rows: Record<string, unknown>[]) => string) => {
      const entries = new Map(base);
      const rows = rowsOf(base).get(path)!;
      entries.set(`records/${path}.jsonl`, Buffer.from(edit(rows)));
      return entries;
    };

    it('zip-slip and absolute paths', async () => {
      expect(
        (await refuse(await zipOf([['../../etc/cron.d/x', Buffer.from('x')]]), 400, 'ARCHIVE_UNSAFE_PATH'))
          .details,
      ).toMatchObject({ reason: 'parent' });
      await refuse(await zipOf([['records/../../x.jsonl', Buffer.from('x')]]), 400, 'ARCHIVE_UNSAFE_PATH');
      await refuse(await zipOf([['/etc/passwd', Buffer.from('x')]]), 400, 'ARCHIVE_UNSAFE_PATH');
      await refuse(await zipOf([['C:\\Windows\\x', Buffer.from('x')]]), 400, 'ARCHIVE_UNSAFE_PATH');
    });

    it('symbolic links', async () => {
      await refuse(
        await zipOf([['files/upload/A1/A1/original', Buffer.from('/etc/passwd'), { unixMode: 0o120777 }]]),
        400,
        'ARCHIVE_SYMLINK',
      );
    });

    it('zip bombs: ratio and total size, counted while streaming', async () => {
      const zeros = Buffer.alloc(40 * 1024 * 1024);
      const bomb = await zipOf([['settings.json', zeros]]);
      expect(bomb.length).toBeLessThan(200_000);
      await refuse(bomb, 413, 'ARCHIVE_RATIO');
      const saved = ARCHIVE_LIMITS.maxTotalBytes;
      ARCHIVE_LIMITS.maxTotalBytes = 1000;
      try {
        await refuse(
          await zipOf([
            ['settings.json', Buffer.alloc(600, 0x61), { method: 0 }],
            ['files/upload/A1/A1/original', Buffer.alloc(600, 0x61), { method: 0 }],
          ]),
          413,
          'ARCHIVE_TOO_LARGE',
        );
      } finally {
        ARCHIVE_LIMITS.maxTotalBytes = saved;
      }
    });

    it('too many entries', async () => {
      const saved = ARCHIVE_LIMITS.maxEntries;
      ARCHIVE_LIMITS.maxEntries = 5;
      try {
        await refuse(await honest(base), 413, 'ARCHIVE_TOO_MANY_ENTRIES');
      } finally {
        ARCHIVE_LIMITS.maxEntries = saved;
      }
    });

    it('not a ZIP, no manifest, unknown format version, unknown entries', async () => {
      await refuse(Buffer.from('this is not a zip'), 400, 'ARCHIVE_CORRUPT');
      const noManifest = new Map(base);
      noManifest.delete('manifest.json');
      await refuse(await zipOf([...noManifest]), 422, 'MANIFEST_MISSING');
      const future = withHonestManifest(base, { ...manifest, formatVersion: 99 });
      expect((await refuse(await zipOf(future), 422, 'FORMAT_VERSION_UNSUPPORTED')).details).toMatchObject({
        formatVersion: 99,
      });
      const extra = new Map(base);
      extra.set('evil.sh', Buffer.from('rm -rf /'));
      await refuse(await honest(extra), 400, 'ARCHIVE_UNKNOWN_ENTRY');
    });

    it('a manifest that lies about hashes, sizes or counts', async () => {
      const lyingHash = {
        ...manifest,
        files: manifest.files.map((f) =>
          f.path === 'records/transactions.jsonl' ? { ...f, sha256: '0'.repeat(64) } : f,
        ),
      };
      const hash = await zipOf([
        ...[...base].filter(([p]) => p !== 'manifest.json'),
        ['manifest.json', Buffer.from(JSON.stringify(lyingHash))],
      ]);
      expect((await refuse(hash, 422, 'MANIFEST_MISMATCH')).details).toMatchObject({ reason: 'sha256' });
      // one line more than the manifest says (hash and size of the new file honest, count not)
      const entries = changed('transactions', (rows) =>
        [...rows, { ...rows[0], _id: 'X000001' }].map((r) => JSON.stringify(r)).join('\n'),
      );
      const honestFiles = withHonestManifest(entries, manifest);
      const m = JSON.parse(honestFiles.at(-1)![1].toString()) as Manifest;
      m.files = m.files.map((f) => (f.path === 'records/transactions.jsonl' ? { ...f, count: 2 } : f));
      m.counts.transaction = 2;
      const count = await zipOf([
        ...honestFiles.slice(0, -1),
        ['manifest.json', Buffer.from(JSON.stringify(m))],
      ]);
      expect((await refuse(count, 422, 'MANIFEST_MISMATCH')).details).toMatchObject({ reason: 'count' });
      const missingFile = new Map(base);
      missingFile.delete([...base.keys()].find((p) => p.startsWith('files/'))!);
      await refuse(await zipOf([...missingFile]), 422, 'MANIFEST_MISMATCH');
    });

    it('records that reference what is not there, malformed lines, wrong types', async () => {
      const dangling = changed('transactions', (rows) =>
        rows.map((r) => JSON.stringify({ ...r, categoryId: 'A424242424' })).join('\n'),
      );
      expect((await refuse(await honest(dangling), 422, 'REFERENCE_MISSING')).details).toMatchObject({
        field: 'categoryId',
      });
      const owner = changed('uploads', (rows) =>
        rows.map((r) => JSON.stringify(r.recordId ? { ...r, recordType: 'car' } : r)).join('\n'),
      );
      await refuse(await honest(owner), 422, 'REFERENCE_MISSING');
      const malformed = changed(
        'transactions',
        (rows) => `${JSON.stringify(rows[0])}\n{"_id": "X1", "amount": \n`,
      );
      expect((await refuse(await honest(malformed), 422, 'RECORD_INVALID')).details).toMatchObject({
        line: 2,
      });
      const notObject = changed('transactions', () => '[1, 2, 3]\n');
      await refuse(await honest(notObject), 422, 'RECORD_INVALID');
      const wrongType = changed('transactions', (rows) =>
        rows.map((r) => JSON.stringify({ ...r, amount: { $gt: 0 } })).join('\n'),
      );
      expect((await refuse(await honest(wrongType), 422, 'RECORD_INVALID')).details).toMatchObject({
        type: 'transaction',
      });
      const duplicate = changed('cars', (rows) =>
        [...rows, ...rows].map((r) => JSON.stringify(r)).join('\n'),
      );
      await refuse(await honest(duplicate), 422, 'RECORD_INVALID');
    });
  });

  it('archives are removed after 7 days: the export answers 410, an applied import stays done', async () => {
    const clock = t.app.get(Clock);
    const applied = (await t.db
      .collection('portability_jobs')
      .findOne({ organizationId: c.organizationId, kind: 'import', status: 'done' }))!;
    clock.travelTo(new Date(Date.now() + 8 * 86_400_000));
    try {
      for (const u of [a, c])
        await t.app
          .get(RequestContext)
          .run({ tenant: { organizationId: u.organizationId, orgRole: 'owner' } }, () =>
            t.app.get(RetentionService).expireDue(),
          );
      expect(((await get(a, `/export/${firstExportId}`).expect(200)).body as Job).status).toBe('expired');
      expect((await get(a, `/export/${firstExportId}/file`).expect(410)).body.code).toBe('EXPORT_EXPIRED');
      expect(((await get(c, `/import/${String(applied._id)}`).expect(200)).body as Job).status).toBe('done');
    } finally {
      clock.travelTo(new Date());
    }
  });
});
