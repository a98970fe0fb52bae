/**
 * Export and import of a realistically large organization: TRANSACTIONS transactions (default 10 000), UPLOADS
 * uploads with a stored file each (default 1 000, 20 KB, half attached to transactions), plus categories and
 * suppliers. Measured in the same run against baselines of the same work done the plainest way:
 *   - export  vs raw driver reads of the same collections (`find({organizationId}).toArray()`, JSON.stringify of
 *     every row) plus reading every stored file once;
 *   - import  (dry run + apply) vs inserting the same rows into scratch collections through the bulk-write helper
 *     plus writing every file once.
 * Peak memory (RSS and heap, sampled every 10 ms) during each. Goals: export ≤ 4× its baseline, import ≤ 8× its
 * baseline, peak RSS growth below 512 MB. Exits 1 when a goal is missed.
 *
 *   npm run bench:portability        (TRANSACTIONS=10000 UPLOADS=1000)
 */
import { randomBytes } from 'node:crypto';
import { Schema } from 'mongoose';
import { FILE_STORAGE, type FileStorage } from '../src/infrastructure/storage/file-storage';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { insertMany } from '../src/infrastructure/mongo/bulk-writes';
import { startBenchApp } from './lib/harness';
import { run } from './lib/run';
import { time, withPeak } from './lib/timing';

const TRANSACTIONS = Number(process.env.TRANSACTIONS ?? 10_000);
const UPLOADS = Number(process.env.UPLOADS ?? 1_000);
const FILE_BYTES = 20 * 1024;
const MB = 1024 * 1024;
const COLLECTIONS = ['categories', 'suppliers', 'transactions', 'uploads'];

run(async () => {
  const app = await startBenchApp('portability');
  try {
    const ids = app.app.get(GlobalIdService);
    const storage = app.app.get<FileStorage>(FILE_STORAGE);
    const orgId = app.user.organizationId;
    const now = new Date();
    const base = {
      organizationId: orgId,
      createdAt: now,
      updatedAt: now,
      isDeleted: false,
      deletedAt: null,
      deletedBy: null,
    };

    // ---- seed (through the driver, in the shapes the modules store) ----
    await app.getJson('/categories'); // seeds the default categories
    const categories = (await app.db.collection('categories').find({ organizationId: orgId }).toArray()).map(
      (c) => String(c._id),
    );
    const supplierIds = await ids.reserveGlobalIds(50);
    const suppliers = supplierIds.map((id, i) => ({
      ...base,
      _id: id,
      name: `Leverantör ${i}`,
      nameKey: `leverantör ${i}`,
      orgNumber: null,
      bankgiro: null,
      plusgiro: null,
      aliases: [],
      searchKeys: [`leverantör ${i}`],
      defaultCategoryId: categories[i % categories.length],
      ocrLengthDigit: false,
    }));
    const txIds = await ids.reserveGlobalIds(TRANSACTIONS);
    const transactions = txIds.map((id, i) => {
      const date = `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      return {
        ...base,
        _id: id,
        date,
        period: date.slice(0, 7),
        amount: 1_000 + ((i * 7_919) % 250_000),
        type: i % 9 === 0 ? 'income' : 'expense',
        currency: 'SEK',
        description: `Kortköp ${i} – Göteborg`,
        note: null,
        textKey: `kortköp ${i} göteborg`,
        supplierId: supplierIds[i % supplierIds.length],
        categoryId: categories[i % categories.length],
        tags: [],
        source: 'manual',
        bankLineId: null,
        createdBy: app.user.id,
      };
    });
    const upIds = await ids.reserveGlobalIds(UPLOADS);
    const uploads = upIds.map((id, i) => {
      const owner = i % 2 === 0 ? txIds[i] : null;
      return {
        ...base,
        _id: id,
        recordId: owner,
        recordType: owner ? 'transaction' : null,
        folder: owner ?? id,
        name: `kvitto-${i}.pdf`,
        format: 'pdf',
        mimeType: 'application/pdf',
        kind: 'document',
        size: FILE_BYTES,
        status: 'ready',
        width: null,
        height: null,
        variants: {},
        failure: null,
        note: null,
        uploadedBy: app.user.id,
      };
    });
    await insertMany(app.db.model('SupplierEntity'), suppliers, { ordered: false, lean: true });
    await insertMany(app.db.model('TransactionEntity'), transactions, {
      ordered: false,
      lean: true,
    });
    await insertMany(app.db.model('UploadEntity'), uploads, { ordered: false, lean: true });
    const file = randomBytes(FILE_BYTES);
    for (let i = 0; i < uploads.length; i += 20)
      await Promise.all(
        uploads.slice(i, i + 20).map((u) => storage.put(`${u.folder}/${u._id}.original`, file)),
      );
    console.log(
      `Portability: ${TRANSACTIONS} transactions, ${UPLOADS} uploads (${FILE_BYTES / 1024} KB each), ${categories.length} categories, ${suppliers.length} suppliers`,
    );
    const idle = process.memoryUsage().rss;

    // ---- export baseline: raw reads of the same data ----
    const exportBase = await withPeak(() =>
      time(async () => {
        let bytes = 0;
        for (const name of COLLECTIONS)
          for (const row of await app.db.collection(name).find({ organizationId: orgId }).toArray())
            bytes += JSON.stringify(row).length;
        for (const u of uploads) bytes += (await storage.read(`${u.folder}/${u._id}.original`)).length;
        return bytes;
      }),
    );

    // ---- export through the API (request → job → done) ----
    const exported = await withPeak(() =>
      time(async () => {
        const started = (await (await app.fetch('/export', { method: 'POST' })).json()) as { id: string };
        for (;;) {
          const job = await app.getJson<{ status: string; downloadUrl: string | null }>(
            `/export/${started.id}`,
          );
          if (job.status === 'done') return job;
          if (job.status === 'failed') throw new Error('export failed');
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
    const zip = Buffer.from(
      await (
        await fetch(`${app.url}${exported.value.value.downloadUrl}`, { headers: app.headers })
      ).arrayBuffer(),
    );

    // ---- import baseline: the same rows and files written plainly ----
    const scratchModel = app.db.model(
      'BenchScratch',
      new Schema({}, { strict: false, collection: 'bench_scratch' }),
    );
    const rows = [...transactions, ...uploads, ...suppliers];
    const importBase = await withPeak(() =>
      time(async () => {
        const scratch = await ids.reserveGlobalIds(rows.length);
        await insertMany(
          scratchModel,
          rows.map((r, i) => ({ ...r, _id: scratch[i] })),
          { ordered: false, lean: true },
        );
        for (let i = 0; i < uploads.length; i += 20)
          await Promise.all(
            uploads.slice(i, i + 20).map((u, j) => storage.put(`bench-scratch/${i + j}`, file)),
          );
      }),
    );

    // ---- import into a second organization: dry run + apply ----
    const target = await startBenchAppUser(app);
    const importStarted = Date.now();
    const imported = await withPeak(() =>
      time(async () => {
        const form = new FormData();
        form.append('file', new Blob([zip], { type: 'application/zip' }), 'export.zip');
        const dryRes = await fetch(`${app.url}/api/v1/import`, {
          method: 'POST',
          headers: target,
          body: form,
        });
        if (dryRes.status !== 201) throw new Error(`dry run: ${dryRes.status} ${await dryRes.text()}`);
        const dry = (await dryRes.json()) as { id: string };
        const dryDone = Date.now();
        await fetch(`${app.url}/api/v1/import/${dry.id}/apply`, { method: 'POST', headers: target });
        for (;;) {
          const job = (await (
            await fetch(`${app.url}/api/v1/import/${dry.id}`, { headers: target })
          ).json()) as { status: string };
          if (job.status === 'done') return dryDone;
          if (job.status === 'failed') throw new Error('import failed');
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
    const created = await app.db
      .collection('transactions')
      .countDocuments({ organizationId: target['X-Organization-Id'] });
    if (created !== TRANSACTIONS)
      throw new Error(`import created ${created} transactions, not ${TRANSACTIONS}`);

    const exportRatio = exported.value.ms / exportBase.value.ms;
    const importRatio = imported.value.ms / importBase.value.ms;
    const peak = Math.max(exported.rss, imported.rss) - idle;
    console.log(`  export baseline (raw reads + files): ${exportBase.value.ms.toFixed(0)} ms`);
    console.log(
      `  export (job, ZIP ${(zip.length / MB).toFixed(1)} MB)       : ${exported.value.ms.toFixed(0)} ms  → ${exportRatio.toFixed(2)}× (goal ≤ 4×) ${exportRatio <= 4 ? 'PASS' : 'FAIL'}`,
    );
    console.log(`  import baseline (bulk inserts + files): ${importBase.value.ms.toFixed(0)} ms`);
    console.log(
      `  import (dry run + apply)          : ${imported.value.ms.toFixed(0)} ms  → ${importRatio.toFixed(2)}× (goal ≤ 8×) ${importRatio <= 8 ? 'PASS' : 'FAIL'} (dry run ${imported.value.value - importStarted} ms, apply ${(imported.value.ms - (imported.value.value - importStarted)).toFixed(0)} ms)`,
    );
    console.log(
      `  peak memory: export RSS ${(exported.rss / MB).toFixed(0)} MB heap ${(exported.heap / MB).toFixed(0)} MB; import RSS ${(imported.rss / MB).toFixed(0)} MB heap ${(imported.heap / MB).toFixed(0)} MB; before ${(idle / MB).toFixed(0)} MB → growth ${(peak / MB).toFixed(0)} MB (goal < 512 MB) ${peak < 512 * MB ? 'PASS' : 'FAIL'}`,
    );
    if (exportRatio > 4 || importRatio > 8 || peak >= 512 * MB) process.exitCode = 1;
  } finally {
    await app.close();
  }
});

/** A second verified Pro user (its own household) on the same app: the import's target. */
async function startBenchAppUser(
  app: Awaited<ReturnType<typeof startBenchApp>>,
): Promise<Record<string, string>> {
  const { createUser } = await import('../test/helpers/factories');
  const { activatePro } = await import('../test/helpers/billing');
  const user = await createUser(app, { name: 'Mottagare' });
  await activatePro(app, user.organizationId, 3650);
  return { ...user.auth, 'X-Organization-Id': user.organizationId };
}
