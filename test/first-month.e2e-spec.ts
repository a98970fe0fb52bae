import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '../src/infrastructure/clock/clock';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import {
  camt053,
  inPool,
  planBills,
  planPurchases,
  planStatement,
  seededRandom,
  SUPPLIERS,
  type PlannedBill,
  type StatementLine,
} from './helpers/household';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 9: what a household does in its first month, on ONE database (one app, one organization on Pro):
 * 200 bills through the API, three camt.053 statements (240 + 600 + 600 lines) on two accounts imported at once —
 * several imports in flight is what deadlocked FerretDB, whose pool is shared by every command on a database —
 * matching, 50 approvals; meanwhile a watcher calls `/health/ready` and `GET /api/v1/me` every 500 ms.
 * Every line is stored once, every import ends `done`, no watched call fails or takes 2 s or more.
 * Every request has a timeout and every wait a deadline, so a hang fails the test instead of blocking CI.
 * FIRST_MONTH_IMPORT_DEADLINE_S (default 600) bounds the imports; FIRST_MONTH_TRACE=1 prints their progress each
 * second. Measured on the shared 2-core machine: see the closing note of issue 9 (FerretDB/SQLite scans on every
 * update, so most of the time goes into storing the suggestions and the approvals' updates).
 */

const api = (path: string) => `/api/v1${path}`;
const REQUEST_TIMEOUT_MS = 30_000;
const IMPORT_DEADLINE_MS = Number(process.env.FIRST_MONTH_IMPORT_DEADLINE_S ?? 600) * 1000;
const WATCH_EVERY_MS = 500;
const WATCH_TIMEOUT_MS = 10_000;
const STALL_MS = 2_000;

interface Watched {
  path: string;
  ms: number;
  status: number;
  at: number;
}

describe('first month of a household: 200 bills, 1 440 bank lines imported at once, 50 approvals', () => {
  let t: TestApp;
  let user: TestUser;
  const watched: Watched[] = [];
  let watching = false;
  let watcher: Promise<void> | undefined;

  const rand = seededRandom(9_2026);
  // June and July 2026; the app's clock stands on 3 August.
  const bills = planBills(rand, 200, '2026-06-03', 56);
  const purchases = planPurchases(rand, 20, '2026-06-01', 61);
  const statements = [
    { name: 'lon-juni.xml', account: 0, size: 240, from: '2026-06-01', days: 30, bills: bills.slice(0, 60) },
    {
      name: 'lon-juli.xml',
      account: 0,
      size: 600,
      from: '2026-06-25',
      days: 37,
      bills: bills.slice(60, 140),
    },
    {
      name: 'gemensamt-juni-juli.xml',
      account: 1,
      size: 600,
      from: '2026-06-01',
      days: 61,
      bills: bills.slice(140),
      purchases,
    },
  ].map((s, k) => ({ ...s, lines: planStatement(rand, { ...s, refPrefix: `FM${k + 1}` }) }));

  const supplierIds: string[] = [];
  const billIds: string[] = [];
  const purchaseIds: string[] = [];
  const accountIds: string[] = [];
  const importIds: string[] = [];

  const get = (path: string) => t.http.get(api(path)).set(user.auth).timeout(REQUEST_TIMEOUT_MS);
  const post = (path: string, body: object = {}) =>
    t.http.post(api(path)).set(user.auth).timeout(REQUEST_TIMEOUT_MS).send(body);

  /** Every page of a list endpoint. */
  async function all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await get(
        `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ).expect(200);
      items.push(...(res.body.items as T[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return items;
  }

  async function watch(): Promise<void> {
    while (watching) {
      const started = Date.now();
      await Promise.all(
        ['/health/ready', api('/me')].map(async (path) => {
          const t0 = performance.now();
          let status: number;
          try {
            const res = await t.http.get(path).set(user.auth).timeout(WATCH_TIMEOUT_MS);
            status = res.status;
          } catch {
            status = 0; // timed out or the connection failed
          }
          watched.push({ path, ms: performance.now() - t0, status, at: started });
        }),
      );
      await sleep(Math.max(0, WATCH_EVERY_MS - (Date.now() - started)));
    }
  }

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-08-03T08:00:00Z'));
    user = await createUser(t, { name: 'Karin Lindqvist' });
    await activatePro(t, user.organizationId, 365);
    watching = true;
    watcher = watch();
  }, 120_000);

  afterAll(async () => {
    watching = false;
    await watcher;
    await t?.close();
  }, 120_000);

  it('registers 30 suppliers and 200 bills with OCR numbers, invoice numbers, amounts and due dates', async () => {
    supplierIds.push(
      ...(await inPool(SUPPLIERS, 4, async (s) => {
        const res = await post('/suppliers', { name: s.name, aliases: [s.bankName.toLowerCase()] }).expect(
          201,
        );
        return res.body.id as string;
      })),
    );
    billIds.push(
      ...(await inPool(bills, 4, async (b: PlannedBill) => {
        const res = await post('/bills', {
          supplierId: supplierIds[b.supplier],
          invoiceNumber: b.invoiceNumber,
          ...(b.ocr ? { ocr: b.ocr } : {}),
          amount: b.amount,
          dueDate: b.dueDate,
        }).expect(201);
        return res.body.id as string;
      })),
    );
    expect(new Set(billIds).size).toBe(200);
    const open = await all<{ id: string; status: string }>('/bills?status=open');
    expect(open).toHaveLength(200);
    expect(await t.db.collection('bills').countDocuments({ organizationId: user.organizationId })).toBe(200);

    // The household also wrote down 20 card purchases by hand; the joint account's statement pays them.
    const created = await post('/transactions/bulk', {
      items: purchases.map((p) => ({
        date: p.date,
        amount: p.amount,
        type: 'expense',
        description: p.shop,
      })),
    }).expect(201);
    purchaseIds.push(...(created.body.ids as string[]));
    expect(purchaseIds).toHaveLength(20);
  }, 180_000);

  it(
    'three statements on two accounts, imported at once: every import done, every line stored once',
    async () => {
      for (const [name, clearingNumber, accountNumber] of [
        ['Lönekonto', '8327-9', '914 123 456-7'],
        ['Gemensamt hushållskonto', '6152', '123 456 789'],
      ]) {
        const res = await post('/bank/accounts', {
          name,
          bank: 'Swedbank',
          clearingNumber,
          accountNumber,
        }).expect(201);
        accountIds.push(res.body.id as string);
      }
      const started = Date.now();
      const uploads = await Promise.all(
        statements.map((s, k) =>
          t.http
            .post(api(`/bank/accounts/${accountIds[s.account]}/imports`))
            .set(user.auth)
            .timeout(REQUEST_TIMEOUT_MS)
            .attach(
              'file',
              camt053(s.lines, { iban: `SE45500000000583982574${60 + k}`, statementId: `FM-${k + 1}` }),
              s.name,
            )
            .expect(202),
        ),
      );
      importIds.push(...uploads.map((res) => res.body.id as string));

      // Poll all three until each is done or failed; a hang runs into the deadline and fails with the states seen.
      const finished = new Map<
        string,
        { status: string; counts: Record<string, number>; error: string | null }
      >();
      const seen = new Map<string, string>();
      const deadline = Date.now() + IMPORT_DEADLINE_MS;
      while (finished.size < importIds.length) {
        for (const id of importIds.filter((i) => !finished.has(i))) {
          const res = await get(`/bank/imports/${id}`).expect(200);
          seen.set(id, `${res.body.status} ${res.body.progress.processed}/${res.body.progress.total}`);
          if (res.body.status === 'done' || res.body.status === 'failed') finished.set(id, res.body);
        }
        if (process.env.FIRST_MONTH_TRACE)
          process.stdout.write(
            `${Math.round((Date.now() - started) / 1000)} s: ${[...seen.values()].join(', ')}\n`,
          );
        if (finished.size < importIds.length && Date.now() > deadline)
          throw new Error(
            `imports not finished after ${IMPORT_DEADLINE_MS / 1000} s: ${importIds
              .map((id) => `${id} ${seen.get(id) ?? 'not read'}`)
              .join(', ')}`,
          );
        await sleep(1_000);
      }
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`first-month: 1 440 lines imported and matched in ${seconds.toFixed(1)} s\n`);

      statements.forEach((s, k) => {
        const imp = finished.get(importIds[k])!;
        expect({ status: imp.status, error: imp.error }).toEqual({ status: 'done', error: null });
        expect(imp.counts).toMatchObject({ created: s.size, duplicates: 0, rejected: 0, autoBooked: 0 });
      });
      for (const [k, s] of statements.entries()) {
        const viaApi = await all<{ id: string; bankReference: string }>(
          `/bank/lines?importId=${importIds[k]}`,
        );
        expect(viaApi).toHaveLength(s.size);
        expect(new Set(viaApi.map((l) => l.bankReference))).toEqual(new Set(s.lines.map((l) => l.ref)));
        const inDb = await t.db
          .collection('bank_lines')
          .countDocuments({ organizationId: user.organizationId, importId: importIds[k] });
        expect(inDb).toBe(s.size);
      }
      const lines = t.db.collection('bank_lines');
      expect(await lines.countDocuments({ organizationId: user.organizationId })).toBe(1_440);
      const keys = await lines.distinct('dedupKey', { organizationId: user.organizationId });
      expect(keys).toHaveLength(1_440);
    },
    IMPORT_DEADLINE_MS + 60_000,
  );

  /** The line that pays each planned bill / purchase, with its stored suggestions. */
  async function plannedLines() {
    const byRef = new Map<string, StatementLine>(statements.flatMap((s) => s.lines.map((l) => [l.ref, l])));
    const lines = await all<{
      id: string;
      bankReference: string;
      status: string;
      suggestions: { candidate: { type: string; id: string }; confidence: number }[];
    }>('/bank/lines');
    return lines.map((l) => ({ line: l, planned: byRef.get(l.bankReference)! }));
  }

  it('matching: each bill-paying line suggests its own bill first, each purchase line its transaction', async () => {
    const lines = await plannedLines();
    const payingBills = lines.filter((l) => l.planned.billIndex !== undefined);
    const payingPurchases = lines.filter((l) => l.planned.purchaseIndex !== undefined);
    expect(payingBills).toHaveLength(200);
    expect(payingPurchases).toHaveLength(20);
    for (const { line, planned } of payingBills) {
      expect({ ref: line.bankReference, status: line.status }).toEqual({
        ref: line.bankReference,
        status: 'suggested',
      });
      expect(line.suggestions[0]?.candidate).toEqual({ type: 'bill', id: billIds[planned.billIndex!] });
      expect(line.suggestions[0].confidence).toBeGreaterThan(0.9);
    }
    for (const { line, planned } of payingPurchases) {
      expect(line.suggestions[0]?.candidate).toEqual({
        type: 'transaction',
        id: purchaseIds[planned.purchaseIndex!],
      });
    }
    const suggestedCounts = importIds.map((id) =>
      t.db
        .collection('bank_lines')
        .countDocuments({ organizationId: user.organizationId, importId: id, status: 'suggested' }),
    );
    expect((await Promise.all(suggestedCounts)).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(220);
  }, 120_000);

  it('50 approvals (40 bills, 10 purchases), four at a time: vouchers 1–50 without gaps, bills paid, transactions linked', async () => {
    const lines = await plannedLines();
    const chosen = [
      ...lines.filter((l) => l.planned.billIndex !== undefined).slice(0, 40),
      ...lines.filter((l) => l.planned.purchaseIndex !== undefined).slice(0, 10),
    ];
    expect(chosen).toHaveLength(50);
    const results = await inPool(chosen, 4, async ({ line }) => {
      const res = await post(`/bank/lines/${line.id}/approve`, {
        candidateId: line.suggestions[0].candidate.id,
      }).expect(200);
      return res.body as { match: { state: string }; voucher: { number: number; totals: { debit: number } } };
    });
    expect(results.every((r) => r.match.state === 'active')).toBe(true);
    expect(results.map((r) => r.voucher.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );

    const vouchers = await all<{ number: number; totals: { debit: number; credit: number } }>(
      '/vouchers?fiscalYear=2026',
    );
    expect(vouchers.map((v) => v.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const expectedTotal = chosen.reduce((sum, { planned }) => sum - planned.amount, 0);
    expect(vouchers.reduce((sum, v) => sum + v.totals.debit, 0)).toBe(expectedTotal);
    expect(vouchers.every((v) => v.totals.debit === v.totals.credit)).toBe(true);

    for (const { line, planned } of chosen) {
      const now = await get(`/bank/lines/${line.id}`).expect(200);
      expect(now.body.status).toBe('matched');
      if (planned.billIndex !== undefined) {
        const b = await get(`/bills/${billIds[planned.billIndex]}`).expect(200);
        expect(b.body).toMatchObject({ status: 'paid', bankLineId: line.id });
      } else {
        const tx = await get(`/transactions/${purchaseIds[planned.purchaseIndex!]}`).expect(200);
        expect(tx.body.bankLineId).toBe(line.id);
      }
    }
    expect(await all('/bills?status=paid')).toHaveLength(40);
    expect(await all('/bills?status=open')).toHaveLength(160);
    const org = { organizationId: user.organizationId };
    expect(await t.db.collection('vouchers').countDocuments(org)).toBe(50);
    expect(await t.db.collection('bank_matches').countDocuments({ ...org, state: 'active' })).toBe(50);
    expect(await t.db.collection('bank_lines').countDocuments({ ...org, status: 'matched' })).toBe(50);
    // Approving as bill or purchase links existing records: no transaction was created by the bank.
    expect(await t.db.collection('transactions').countDocuments(org)).toBe(20);
  }, 240_000);

  it('the watcher: every /health/ready and GET /me answered 200 within 2 s, all month long', async () => {
    watching = false;
    await watcher;
    const ms = watched.map((w) => w.ms).sort((a, b) => a - b);
    const max = ms[ms.length - 1];
    const p50 = ms[Math.floor(ms.length / 2)];
    process.stdout.write(
      `first-month watcher: ${watched.length} calls, p50 ${p50.toFixed(0)} ms, max ${max.toFixed(0)} ms\n`,
    );
    expect(watched.length).toBeGreaterThan(20);
    expect(watched.filter((w) => w.status !== 200)).toEqual([]);
    expect(watched.filter((w) => w.ms >= STALL_MS)).toEqual([]);
  }, 30_000);
});
