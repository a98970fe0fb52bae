import { JobQueue } from '../src/infrastructure/queue/queue.module';
import { JobName, QueueName, jobIdFor } from '../src/infrastructure/queue/queue.constants';
import { Clock } from '../src/infrastructure/clock/clock';
import { luhnValid } from '../src/common/validation/luhn';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The bank review screen and the security findings on the bank module, against FerretDB + Redis + the BullMQ worker:
 * GET …/suggestions serves stored suggestions and writes nothing (stale ones are recomputed by the rematch job the
 * change queued), one rematch job per organization, a failed import shows a safe text, a sole trader's personnummer
 * in the bookkeeping settings is encrypted and masked, viewers see bank account numbers masked.
 */

const api = (path: string) => `/api/v1${path}`;

function ocr(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

function camt(entries: { amount: number; date: string; ref: string; ocr?: string; name?: string }[]): Buffer {
  const ntry = entries
    .map(
      (e) => `<Ntry><Amt Ccy="SEK">${(Math.abs(e.amount) / 100).toFixed(2)}</Amt><CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts><BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.date}</Dt></ValDt>
        <AcctSvcrRef>${e.ref}</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
        ${e.name ? `<RltdPties><Cdtr><Nm>${e.name}</Nm></Cdtr></RltdPties>` : ''}
        ${e.ocr ? `<RmtInf><Strd><CdtrRefInf><Ref>${e.ocr}</Ref></CdtrRefInf></Strd></RmtInf>` : ''}
        </TxDtls></NtryDtls></Ntry>`,
    )
    .join('\n');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-06-15T10:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>S1</Id><Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id></Acct>
${ntry}
    </Stmt></BkToCstmrStmt></Document>`);
}

describe('bank: the review screen reads only; findings 5, 6, 8 and masked numbers', () => {
  let t: TestApp;
  let a: TestUser; // owner of the organization the tests work in
  let b: TestUser; // another organization
  let viewer: Record<string, string>; // a viewer of a's organization
  let accountId: string;

  const as = (user: TestUser) => ({
    get: (path: string) => t.http.get(api(path)).set(user.auth),
    post: (path: string, body?: object) =>
      t.http
        .post(api(path))
        .set(user.auth)
        .send(body ?? {}),
    patch: (path: string, body: object) => t.http.patch(api(path)).set(user.auth).send(body),
  });
  const bankQueue = () => t.app.get(JobQueue).queue(QueueName.Bank);

  /** Until the bank queue has nothing waiting, delayed or running (twice in a row: a follow-up job may appear). */
  async function bankQueueIdle(): Promise<void> {
    const deadline = Date.now() + 60_000;
    let quiet = 0;
    while (quiet < 2) {
      const counts = await bankQueue().getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      quiet = Object.values(counts).every((n) => n === 0) ? quiet + 1 : 0;
      if (Date.now() > deadline) throw new Error(`bank queue still busy: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async function waitForImport(id: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await as(a).get(`/bank/imports/${id}`).expect(200);
      if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
      if (Date.now() > deadline) throw new Error(`import ${id} still ${res.body.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function upload(file: Buffer, name: string, fields: Record<string, string> = {}) {
    let req = t.http.post(api(`/bank/accounts/${accountId}/imports`)).set(a.auth);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    const res = await req.attach('file', file, name).expect(202);
    return res.body as { id: string; status: string };
  }

  async function lineByRef(bankReference: string): Promise<{ id: string; status: string }> {
    const res = await as(a).get('/bank/lines?limit=100').expect(200);
    const line = (res.body.items as { id: string; status: string; bankReference: string }[]).find(
      (l) => l.bankReference === bankReference,
    );
    if (!line) throw new Error(`no line ${bankReference}`);
    return line;
  }

  /** Every document of every collection, in a stable order: what "changed nothing" is checked against. */
  async function databaseSnapshot(): Promise<string> {
    const collections = (await t.db.db!.listCollections().toArray()).map((c) => c.name).sort();
    const out: unknown[] = [];
    for (const name of collections)
      out.push(name, await t.db.collection(name).find({}).sort({ _id: 1 }).toArray());
    return JSON.stringify(out);
  }

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-06-15T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t, { name: 'Åsa Granskare' }), createUser(t, { name: 'Bo' })]);
    await Promise.all([activatePro(t, a.organizationId), activatePro(t, b.organizationId)]);
    await as(a)
      .post(`/organizations/${a.organizationId}/invitations`, { email: 'lasare@example.se', role: 'viewer' })
      .expect(201);
    const mail = await t.mail.waitFor('lasare@example.se', /./);
    const reader = await createUser(t, { email: 'lasare@example.se', name: 'Läsare' });
    await t.http
      .post(api('/invitations/accept'))
      .set(reader.auth)
      .send({ token: MailCatcher.token(mail) })
      .expect(200);
    viewer = { ...reader.auth, 'X-Organization-Id': a.organizationId };
    const account = await as(a)
      .post('/bank/accounts', {
        name: 'Privatkonto',
        clearingNumber: '8327-9',
        accountNumber: '123 456 789-0',
      })
      .expect(201);
    accountId = account.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  let lineId: string;
  let supplierId: string;
  let ocrBill: string;

  it('GET …/suggestions serves the stored suggestions and changes nothing in the database', async () => {
    supplierId = (await as(a).post('/suppliers', { name: 'Göteborg Energi AB' }).expect(201)).body.id;
    const number = ocr('5550001234');
    ocrBill = (
      await as(a)
        .post('/bills', { supplierId, amount: 125_000, dueDate: '2026-06-01', ocr: number })
        .expect(201)
    ).body.id;
    const imp = await upload(
      camt([{ amount: -125_000, date: '2026-06-03', ref: 'G-1', ocr: number, name: 'GOTEBORG ENERGI' }]),
      'g.xml',
    );
    expect((await waitForImport(imp.id)).status).toBe('done');
    lineId = (await lineByRef('G-1')).id;
    await bankQueueIdle();

    const before = await databaseSnapshot();
    for (const headers of [a.auth, viewer]) {
      const res = await t.http
        .get(api(`/bank/lines/${lineId}/suggestions`))
        .set(headers)
        .expect(200);
      expect(res.headers['x-suggestions-stale']).toBe('false');
      expect(res.body[0]).toMatchObject({
        candidate: { type: 'bill', id: ocrBill },
        signals: { reference: { kind: 'ocr', value: number } },
      });
      expect(res.body[0].confidence).toBeGreaterThan(0.9);
    }
    expect(await databaseSnapshot()).toBe(before);
  });

  it('a change to a candidate makes the stored suggestions stale (header) until the rematch job it queued recomputes them', async () => {
    const ids = async () => {
      const res = await as(a).get(`/bank/lines/${lineId}/suggestions`).expect(200);
      return {
        stale: res.headers['x-suggestions-stale'],
        ids: res.body.map((s: { candidate: { id: string } }) => s.candidate.id) as string[],
      };
    };
    // The bill goes to the trash: no longer a candidate.
    const removed = await t.http
      .delete(api(`/bills/${ocrBill}`))
      .set(a.auth)
      .expect(200);
    expect(await ids()).toEqual({ stale: 'true', ids: expect.arrayContaining([ocrBill]) });
    expect((await as(a).get(`/bank/lines/${lineId}`).expect(200)).body.suggestionsStale).toBe(true);
    await bankQueueIdle();
    expect(await ids()).toEqual({ stale: 'false', ids: expect.not.arrayContaining([ocrBill]) });
    const listed = await as(a).get('/bank/lines?limit=100').expect(200);
    expect(listed.body.items.find((l: { id: string }) => l.id === lineId).suggestionsStale).toBe(false);
    // Restored through the trash: a candidate again.
    await t.http.post(removed.body.undo.href).set(a.auth).expect(200);
    expect((await ids()).stale).toBe('true');
    await bankQueueIdle();
    expect(await ids()).toEqual({ stale: 'false', ids: [ocrBill] });
  });

  it('every economy write that matching reads marks the lines stale (bills, transactions, suppliers)', async () => {
    const staleAfter = async (write: () => Promise<unknown>) => {
      await bankQueueIdle();
      expect(
        (await as(a).get(`/bank/lines/${lineId}/suggestions`).expect(200)).headers['x-suggestions-stale'],
      ).toBe('false');
      await write();
      return (await as(a).get(`/bank/lines/${lineId}/suggestions`).expect(200)).headers[
        'x-suggestions-stale'
      ];
    };
    let billId = '';
    let transactionId = '';
    let otherSupplier = '';
    const writes: [string, () => Promise<unknown>][] = [
      [
        'bill created',
        async () =>
          (billId = (
            await as(a).post('/bills', { supplierId, amount: 4_200, dueDate: '2026-06-20' }).expect(201)
          ).body.id),
      ],
      ['bill updated', () => as(a).patch(`/bills/${billId}`, { amount: 4_300 }).expect(200)],
      [
        'bill deleted',
        () =>
          t.http
            .delete(api(`/bills/${billId}`))
            .set(a.auth)
            .expect(200),
      ],
      [
        'transaction created',
        async () =>
          (transactionId = (
            await as(a)
              .post('/transactions', {
                date: '2026-06-03',
                amount: 125_000,
                type: 'expense',
                description: 'El',
              })
              .expect(201)
          ).body.id),
      ],
      [
        'transaction updated',
        () => as(a).patch(`/transactions/${transactionId}`, { description: 'El juni' }).expect(200),
      ],
      [
        'transactions bulk-created',
        () =>
          as(a)
            .post('/transactions/bulk', {
              items: [{ date: '2026-06-04', amount: 5_000, type: 'expense', description: 'Kaffe' }],
            })
            .expect(201),
      ],
      [
        'transaction deleted',
        () =>
          t.http
            .delete(api(`/transactions/${transactionId}`))
            .set(a.auth)
            .expect(200),
      ],
      [
        'supplier created',
        async () =>
          (otherSupplier = (await as(a).post('/suppliers', { name: 'Fortum' }).expect(201)).body.id),
      ],
      [
        'supplier updated',
        () =>
          as(a)
            .patch(`/suppliers/${supplierId}`, { aliases: ['goteborg energi'] })
            .expect(200),
      ],
      [
        'supplier deleted',
        () =>
          t.http
            .delete(api(`/suppliers/${otherSupplier}`))
            .set(a.auth)
            .expect(200),
      ],
    ];
    const seen: Record<string, unknown> = {};
    for (const [name, write] of writes) seen[name] = await staleAfter(write);
    expect(seen).toEqual(Object.fromEntries(writes.map(([name]) => [name, 'true'])));
    await bankQueueIdle();
  });

  it("another organization's line, a malformed id and a missing id are the same 404", async () => {
    const bodies = [];
    for (const [user, id] of [
      [b, lineId],
      [a, 'not-an-id'],
      [a, 'A999999'],
    ] as const) {
      const res = await as(user).get(`/bank/lines/${id}/suggestions`).expect(404);
      bodies.push({ code: res.body.code, message: res.body.message, details: res.body.details });
    }
    expect(bodies).toEqual(
      Array(3).fill({ code: 'NOT_FOUND', message: 'Not found', details: { type: 'bank_line' } }),
    );
  });

  it('POST bank/lines/rematch: a second request while one is queued answers the same job (202), one job runs', async () => {
    await bankQueueIdle();
    await bankQueue().pause();
    try {
      const first = await as(a).post('/bank/lines/rematch').expect(202);
      const second = await as(a).post('/bank/lines/rematch').expect(202);
      expect(first.body).toEqual({ queued: true, jobId: expect.any(String) });
      expect(second.body.jobId).toBe(first.body.jobId);
      const waiting = await bankQueue().getJobs(['waiting', 'paused', 'delayed', 'prioritized']);
      expect(waiting.filter((j) => j.name === String(JobName.BankMatch)).map((j) => j.id)).toEqual([
        first.body.jobId,
      ]);
      // Another organization has its own job.
      const other = await as(b).post('/bank/lines/rematch').expect(202);
      expect(other.body.jobId).not.toBe(first.body.jobId);
    } finally {
      await bankQueue().resume();
    }
    await bankQueueIdle();
    const after = await as(a).post('/bank/lines/rematch').expect(202);
    expect(after.body.jobId).toEqual(expect.any(String));
    await bankQueueIdle();
  });

  it('a failed import shows a safe text and code (Swedish and English), never the internal error', async () => {
    const mapping = JSON.stringify({
      separator: ';',
      decimal: ',',
      dateFormat: 'YYYY-MM-DD',
      hasHeader: true,
      columns: { date: 'Datum', amount: 'Belopp', text: 'Text' },
    });
    await bankQueue().pause();
    let importId: string;
    try {
      importId = (
        await upload(Buffer.from('Datum;Belopp;Text\n2026-06-10;-10,00;Kaffe\n'), 'k.csv', {
          format: 'csv',
          mapping,
        })
      ).id;
      // A stored mapping the parser chokes on (a TypeError from deep inside: an internal error, not the file's).
      await t.db
        .collection('bank_imports')
        .updateOne({ _id: importId as never }, { $set: { 'mapping.columns': null } });
      const jobId = jobIdFor(JobName.BankImport, importId);
      await (await bankQueue().getJob(jobId))?.remove();
      await t.app
        .get(JobQueue)
        .add(
          JobName.BankImport,
          { organizationId: a.organizationId, importId, requestedBy: a.id },
          { jobId, attempts: 1 },
        );
    } finally {
      await bankQueue().resume();
    }
    const failed = await waitForImport(importId);
    expect(failed).toMatchObject({
      status: 'failed',
      errorCode: 'IMPORT_FAILED_INTERNAL',
      error: expect.stringMatching(/^The import failed because of an internal error/),
      errorText: { sv: expect.stringMatching(/^Importen misslyckades/), en: failed.error },
    });
    const everything = JSON.stringify(failed) + (await databaseSnapshot());
    expect(everything).not.toMatch(/Cannot convert|TypeError|null to object/);
  });

  it('personnummer in the bookkeeping settings: encrypted at rest, masked for viewers and in the audit log', async () => {
    const saved = await as(a).patch('/bookkeeping/settings', { orgNumber: '811218-9876' }).expect(200);
    expect(saved.body).toMatchObject({ orgNumber: '811218-9876', orgNumberKind: 'personal' });
    expect((await as(a).get('/bookkeeping/settings').expect(200)).body.orgNumber).toBe('811218-9876');
    const seen = await t.http.get(api('/bookkeeping/settings')).set(viewer).expect(200);
    expect(seen.body).toMatchObject({ orgNumber: '••••••-••76', orgNumberKind: 'personal' });

    const raw = await t.db.collection('bookkeeping_settings').findOne({ _id: a.organizationId as never });
    expect(raw!.orgNumberEnc).toMatch(/^v1:/);
    // Nowhere in the database: not in the settings, not in the audit log's diff.
    const everything = await databaseSnapshot();
    expect(everything).not.toMatch(/811218-?9876/);
    const audit = await t.db
      .collection('audit_entries')
      .find({ action: 'bookkeeping.settings_updated', organizationId: a.organizationId })
      .toArray();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.map((e) => e.changes))).toContain('••••••-••76');

    // An organisationsnummer is public: shown in full to everyone.
    await as(a).patch('/bookkeeping/settings', { orgNumber: '556016-0680' }).expect(200);
    const company = await t.http.get(api('/bookkeeping/settings')).set(viewer).expect(200);
    expect(company.body).toMatchObject({ orgNumber: '556016-0680', orgNumberKind: 'organisation' });
    await as(a).patch('/bookkeeping/settings', { orgNumber: '12' }).expect(400);
  });

  it('a plain-text number stored before encryption is encrypted on its first read', async () => {
    await t.db
      .collection('bookkeeping_settings')
      .updateOne(
        { _id: b.organizationId as never },
        { $set: { organizationId: b.organizationId, orgNumber: '811218-9876', orgNumberEnc: null } },
        { upsert: true },
      );
    const read = await as(b).get('/bookkeeping/settings').expect(200);
    expect(read.body).toMatchObject({ orgNumber: '811218-9876', orgNumberKind: 'personal' });
    const raw = await t.db.collection('bookkeeping_settings').findOne({ _id: b.organizationId as never });
    expect(raw).toMatchObject({ orgNumber: null, orgNumberEnc: expect.stringMatching(/^v1:/) });
    expect((await as(b).get('/bookkeeping/settings').expect(200)).body.orgNumber).toBe('811218-9876');
  });

  it('viewers see bank account numbers masked; members and admins in full', async () => {
    const full = await as(a).get(`/bank/accounts/${accountId}`).expect(200);
    expect(full.body).toMatchObject({ accountNumber: '1234567890', numbersMasked: false });
    const masked = await t.http
      .get(api(`/bank/accounts/${accountId}`))
      .set(viewer)
      .expect(200);
    expect(masked.body).toMatchObject({
      accountNumber: '•••• 7890',
      maskedNumber: '8327-9 ••••7890',
      numbersMasked: true,
    });
    expect(JSON.stringify(masked.body)).not.toContain('123456');
    await as(b).get(`/bank/accounts/${accountId}`).expect(404);
  });
  it("an organization's first changes, many at once, all succeed (the generation's first upsert races)", async () => {
    expect(
      await t.db.collection('bank_matching_state').findOne({ _id: b.organizationId as never }),
    ).toBeNull();
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => as(b).post('/suppliers', { name: `Samtidig ${i}` })),
    );
    expect(created.map((r) => r.status)).toEqual(Array(8).fill(201));
    const state = await t.db.collection('bank_matching_state').findOne({ _id: b.organizationId as never });
    expect(state).toMatchObject({ organizationId: b.organizationId, generation: expect.any(String) });
    await bankQueueIdle();
  });
});
