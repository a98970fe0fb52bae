import { Clock } from '../src/infrastructure/clock/clock';
import { activatePro } from './helpers/billing';
import { BROADBAND } from './helpers/contracts';
import { createUser, type TestUser } from './helpers/factories';
import { camt053 } from './helpers/household';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * A bank line paying a contract's provider (docs/bank.md "Contract payments"), real services on FerretDB + Redis +
 * the import job: the line shows the contract hint, approving it with a new transaction and the contract records the
 * contract's payment of that day with the transaction (once, however often approved), the undo takes it back, and
 * another organization's contract is refused.
 */

const api = (path: string) => `/api/v1${path}`;

interface Hint {
  contractId: string;
  name: string;
  providerId: string;
  paymentDate: string;
  scheduledAmount: number;
  confidence: number;
  why: { sv: string; en: string };
}
interface Line {
  id: string;
  bankReference: string | null;
  status: string;
  matchId: string | null;
  contract: Hint | null;
}
interface Payment {
  date: string;
  amount: number;
  recorded: boolean;
  transactionId: string | null;
}

describe('bank lines paying a contract', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let contractId: string;
  let foreignContractId: string;
  let categoryId: string;
  let bahnhofId: string;

  const post = (user: TestUser, path: string, body: object = {}) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);

  async function importStatement(user: TestUser) {
    const account = await post(user, '/bank/accounts', {
      name: 'Privatkonto',
      bank: 'Swedbank',
      clearingNumber: '8327-9',
      accountNumber: '123 456 789-0',
    }).expect(201);
    const file = camt053(
      [
        { ref: 'C-PAID', date: '2026-03-17', amount: -39_900, name: 'BAHNHOF AB' },
        { ref: 'C-OTHER-AMOUNT', date: '2026-03-17', amount: -45_000, name: 'BAHNHOF AB' },
        { ref: 'C-OTHER-SUPPLIER', date: '2026-03-17', amount: -39_900, name: 'TELIA SVERIGE AB' },
        { ref: 'C-SECOND', date: '2026-03-16', amount: -39_900, name: 'BAHNHOF AB' },
      ],
      { iban: 'SE4550000000058398257466', statementId: 'S-CONTRACTS' },
    );
    const res = await t.http
      .post(api(`/bank/accounts/${account.body.id}/imports`))
      .set(user.auth)
      .attach('file', file, 'statement.xml')
      .expect(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const imp = await get(user, `/bank/imports/${res.body.id}`).expect(200);
      if (imp.body.status === 'done') return;
      if (imp.body.status === 'failed' || Date.now() > deadline) throw new Error(`import ${imp.body.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function line(ref: string): Promise<Line> {
    const list = await get(a, '/bank/lines?limit=100').expect(200);
    const found = (list.body.items as Line[]).find((l) => l.bankReference === ref);
    if (!found) throw new Error(`no line ${ref}`);
    const one = await get(a, `/bank/lines/${found.id}`).expect(200);
    expect(one.body.contract).toEqual(found.contract); // the list and the line show the same hint
    return one.body as Line;
  }

  async function marchPayment(): Promise<Payment> {
    const res = await get(a, `/contracts/${contractId}/payments?from=2026-03-01&to=2026-03-31`).expect(200);
    expect(res.body.items).toHaveLength(1);
    return res.body.items[0] as Payment;
  }

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-03-20T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId), activatePro(t, b.organizationId)]);

    bahnhofId = (await post(a, '/suppliers', { name: 'Bahnhof AB', aliases: ['bahnhof'] }).expect(201)).body
      .id;
    await post(a, '/suppliers', { name: 'Telia Sverige AB', aliases: ['telia'] }).expect(201);
    categoryId = (
      await post(a, '/categories', { name: 'Bredband', kind: 'expense', basAccount: '6230' }).expect(201)
    ).body.id;
    contractId = (await post(a, '/contracts', { ...BROADBAND, providerId: bahnhofId }).expect(201)).body.id;

    const bBahnhof = (await post(b, '/suppliers', { name: 'Bahnhof AB' }).expect(201)).body.id;
    foreignContractId = (await post(b, '/contracts', { ...BROADBAND, providerId: bBahnhof }).expect(201)).body
      .id;

    await importStatement(a);
  });

  afterAll(() => t?.close());

  it('shows the contract hint on a line paying the provider the price two days after the payment day', async () => {
    const paid = await line('C-PAID');
    expect(paid.contract).toMatchObject({
      contractId,
      name: BROADBAND.name,
      providerId: bahnhofId,
      paymentDate: '2026-03-15',
      scheduledAmount: 39_900,
    });
    expect(paid.contract!.confidence).toBeGreaterThan(0.9);
    expect(paid.contract!.why.sv).toContain('2 dagar efter betalningsdagen 2026-03-15');
    expect(paid.contract!.why.en).toContain('resembles the provider Bahnhof AB');
  });

  it('gives no hint to a line of another amount or another supplier', async () => {
    expect((await line('C-OTHER-AMOUNT')).contract).toBeNull();
    expect((await line('C-OTHER-SUPPLIER')).contract).toBeNull();
  });

  it("refuses another organization's contract, a day without a payment and a contract without create", async () => {
    const paid = await line('C-PAID');
    const foreign = await post(a, `/bank/lines/${paid.id}/approve`, {
      create: { categoryId, contractId: foreignContractId },
    }).expect(400);
    expect(foreign.body).toMatchObject({
      statusCode: 400,
      code: 'INVALID_REFERENCE',
      details: { field: 'create.contractId' },
    });
    expect(foreign.body.requestId).toBeTruthy();

    const noDay = await post(a, `/bank/lines/${paid.id}/approve`, {
      create: { categoryId, contractId, contractPaymentDate: '2026-03-16' },
    }).expect(422);
    expect(noDay.body).toMatchObject({ code: 'CONTRACT_PAYMENT_NOT_SCHEDULED' });

    const dateAlone = await post(a, `/bank/lines/${paid.id}/approve`, {
      create: { categoryId, contractPaymentDate: '2026-03-15' },
    }).expect(400);
    expect(dateAlone.body.code).toBe('VALIDATION_FAILED');

    // Nothing was booked or recorded by the refusals.
    expect((await line('C-PAID')).status).not.toBe('matched');
    expect((await marchPayment()).recorded).toBe(false);
  });

  it('approve with create + contract: the transaction pays the contract day; twice records once; undo takes it back', async () => {
    const paid = await line('C-PAID');
    const body = { create: { categoryId, supplierId: bahnhofId, contractId } };
    const first = await post(a, `/bank/lines/${paid.id}/approve`, body).expect(200);
    expect(first.body.match).toMatchObject({
      created: true,
      state: 'active',
      contractPayment: { contractId, date: '2026-03-15', state: 'recorded' },
    });
    const transactionId = first.body.match.candidate.id as string;
    const transaction = await get(a, `/transactions/${transactionId}`).expect(200);
    expect(transaction.body).toMatchObject({ amount: 39_900, type: 'expense', supplierId: bahnhofId });

    expect(await marchPayment()).toMatchObject({
      date: '2026-03-15',
      recorded: true,
      amount: 39_900,
      transactionId,
    });

    // The same approval again answers the booking; the day is still recorded once.
    const again = await post(a, `/bank/lines/${paid.id}/approve`, body).expect(200);
    expect(again.body.match.id).toBe(first.body.match.id);
    const live = await t.db
      .collection('contract_payments')
      .countDocuments({ contractId, date: '2026-03-15', isDeleted: { $ne: true } });
    expect(live).toBe(1);
    expect((await line('C-PAID')).contract).toBeNull(); // matched lines have no hint

    // The day is paid: another line of the same amount gets no hint, and cannot pay it too.
    const second = await line('C-SECOND');
    expect(second.contract).toBeNull();
    const taken = await post(a, `/bank/lines/${second.id}/approve`, {
      create: { categoryId, contractId, contractPaymentDate: '2026-03-15' },
    }).expect(409);
    expect(taken.body).toMatchObject({ code: 'CONTRACT_PAYMENT_LINKED', details: { transactionId } });

    // Undo: the recorded payment goes to the trash with the booking; the line shows the hint again.
    const undone = await post(a, `/bank/matches/${first.body.match.id}/undo`).expect(200);
    expect(undone.body.match).toMatchObject({
      state: 'undone',
      contractPayment: { contractId, date: '2026-03-15', state: 'removed' },
    });
    expect(await marchPayment()).toMatchObject({ recorded: false, transactionId: null });
    const trash = await get(a, '/trash?limit=100').expect(200);
    expect(
      (trash.body.items as { type: string }[]).filter((i) => i.type === 'contract_payment'),
    ).toHaveLength(1);
    const reopened = await line('C-PAID');
    expect(reopened.status).not.toBe('matched');
    expect(reopened.contract).toMatchObject({ contractId, paymentDate: '2026-03-15' });
    await post(a, `/bank/matches/${first.body.match.id}/undo`).expect(409); // MATCH_ALREADY_UNDONE

    // Approved again (the hint's day by default): recorded with the new booking's transaction.
    const rebooked = await post(a, `/bank/lines/${paid.id}/approve`, body).expect(200);
    expect(rebooked.body.match.contractPayment).toMatchObject({ state: 'recorded' });
    expect(await marchPayment()).toMatchObject({
      recorded: true,
      transactionId: rebooked.body.match.candidate.id,
    });
  });

  it("organization B does not see A's hint and cannot use A's contract", async () => {
    const listB = await get(b, '/bank/lines?limit=100').expect(200);
    expect(listB.body.items).toHaveLength(0);
    await get(b, `/contracts/${contractId}/payments`).expect(404);
  });
});
