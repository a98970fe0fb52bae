import { RequestContext } from '../src/common/context/request-context';
import { Clock } from '../src/infrastructure/clock/clock';
import { ReminderRunsService } from '../src/modules/reminders/runs/runs.service';
import { activatePro } from './helpers/billing';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';
import { minimalPdf } from './helpers/upload-fixtures';
import { postUpload } from './helpers/uploads-api';

/**
 * Warranties over HTTP: by hand with a length or an end date, from a transaction and from a receipt upload
 * attached to one, the expiring list, the reminder 30 days before the end, the trash, and organization B never
 * reaching organization A's.
 */

const api = (path: string) => `/api/v1${path}`;

describe('warranties', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let supplierId: string;
  let transactionId: string;

  const post = (user: TestUser, path: string, body: object) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-06-10T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await Promise.all([activatePro(t, a.organizationId, 400), activatePro(t, b.organizationId, 400)]);
    supplierId = (await post(a, '/suppliers', { name: 'Elgiganten' }).expect(201)).body.id;
    const categories = (await get(a, '/categories?kind=expense').expect(200)).body as { id: string }[];
    transactionId = (
      await post(a, '/transactions', {
        date: '2026-03-02',
        amount: 899_000,
        type: 'expense',
        description: 'Diskmaskin Bosch',
        supplierId,
        categoryId: categories[0].id,
      }).expect(201)
    ).body.id;
  });

  afterAll(() => t.close());

  it('covers a length from purchase through the day before the anniversary, and knows what is expiring', async () => {
    const kettle = (
      await post(a, '/warranties', {
        item: 'Vattenkokare',
        storeName: 'Clas Ohlson',
        purchaseDate: '2025-08-01',
        price: 39_900,
        length: { count: 1, unit: 'years' },
      }).expect(201)
    ).body;
    expect(kettle).toMatchObject({
      endDate: '2026-07-31',
      lengthMonths: 12,
      status: 'expiring',
      daysLeft: 52,
    });
    const old = (
      await post(a, '/warranties', {
        item: 'Gammal TV',
        purchaseDate: '2023-01-01',
        endDate: '2026-06-09',
      }).expect(201)
    ).body;
    expect(old).toMatchObject({ status: 'expired', daysLeft: 0, lengthMonths: null });
    const expiring = (await get(a, '/warranties?status=expiring').expect(200)).body.items as { id: string }[];
    expect(expiring.map((w) => w.id)).toEqual([kettle.id]);
    const expired = (await get(a, '/warranties?status=expired').expect(200)).body.items as { id: string }[];
    expect(expired.map((w) => w.id)).toEqual([old.id]);

    const moved = await t.http
      .patch(api(`/warranties/${kettle.id}`))
      .set(a.auth)
      .send({ purchaseDate: '2025-09-15' })
      .expect(200);
    expect(moved.body).toMatchObject({ endDate: '2026-09-14', status: 'active' });
  });

  it('takes the purchase from a transaction, or from the receipt attached to it', async () => {
    const fromTransaction = (
      await post(a, '/warranties', {
        item: 'Diskmaskin',
        fromTransactionId: transactionId,
        length: { count: 2, unit: 'years' },
      }).expect(201)
    ).body;
    expect(fromTransaction).toMatchObject({
      purchaseDate: '2026-03-02',
      storeId: supplierId,
      price: 899_000,
      endDate: '2028-03-01',
      transactionId,
    });
    const receipt = (await postUpload(t, a, minimalPdf(), 'kvitto.pdf', { recordId: transactionId })).body;
    const fromReceipt = (
      await post(a, '/warranties', {
        item: 'Diskmaskin (kvitto)',
        fromUploadId: receipt.id,
        length: { count: 24, unit: 'months' },
      }).expect(201)
    ).body;
    expect(fromReceipt).toMatchObject({
      purchaseDate: '2026-03-02',
      receiptUploadId: receipt.id,
      transactionId,
    });
  });

  it('refuses bad input with clear 4xx errors', async () => {
    const noDate = await post(a, '/warranties', { item: 'X', length: { count: 1, unit: 'years' } }).expect(
      422,
    );
    expect(noDate.body).toMatchObject({ code: 'INVALID_WARRANTY', details: { field: 'purchaseDate' } });
    const noLength = await post(a, '/warranties', { item: 'X', purchaseDate: '2026-01-01' }).expect(422);
    expect(noLength.body.code).toBe('INVALID_WARRANTY');
    const backwards = await post(a, '/warranties', {
      item: 'X',
      purchaseDate: '2026-01-01',
      endDate: '2025-12-31',
    });
    expect(backwards.status).toBe(422);
    await post(a, '/warranties', {
      item: 'X',
      purchaseDate: '2026-01-01',
      length: { count: 0, unit: 'years' },
    }).expect(400);
    const store = await post(a, '/warranties', {
      item: 'X',
      purchaseDate: '2026-01-01',
      endDate: '2027-01-01',
      storeId: 'A999999',
    });
    expect(store.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'storeId' } });
  });

  it('reminds 30 days before the end', async () => {
    const w = (
      await post(a, '/warranties', {
        item: 'Dammsugare',
        purchaseDate: '2024-07-11',
        length: { count: 2, unit: 'years' },
      }).expect(201)
    ).body;
    expect(w.endDate).toBe('2026-07-10');
    await t.app
      .get(RequestContext)
      .run({ tenant: { organizationId: a.organizationId, orgRole: 'owner' } }, () =>
        t.app.get(ReminderRunsService).run('2026-06-10'),
      );
    const reminders = (await get(a, '/reminders').expect(200)).body.items as {
      kind: string;
      sourceId: string;
      title: string;
    }[];
    expect(reminders.filter((r) => r.kind === 'warranty.expiry').map((r) => r.sourceId)).toEqual([w.id]);
    expect(reminders.find((r) => r.sourceId === w.id)?.title).toBe(
      'Garantin för Dammsugare går ut 2026-07-10',
    );
  });

  it('moves a warranty to the trash and back', async () => {
    const w = (
      await post(a, '/warranties', {
        item: 'Mobil',
        purchaseDate: '2026-05-01',
        endDate: '2027-04-30',
      }).expect(201)
    ).body;
    const undo = (
      await t.http
        .delete(api(`/warranties/${w.id}`))
        .set(a.auth)
        .expect(200)
    ).body;
    await get(a, `/warranties/${w.id}`).expect(404);
    await t.http.post(undo.undo.href).set(a.auth).expect(200);
    await get(a, `/warranties/${w.id}`).expect(200);
  });

  describe('organization B cannot read or write organization A', () => {
    it('answers like a missing record; A’s transaction and supplier are no references for B', async () => {
      const [mine] = (await get(a, '/warranties').expect(200)).body.items as { id: string }[];
      const missing = (await get(b, '/warranties/A999998').expect(404)).body;
      const foreign = (await get(b, `/warranties/${mine.id}`).expect(404)).body;
      expect({ ...foreign, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
      await t.http
        .patch(api(`/warranties/${mine.id}`))
        .set(b.auth)
        .send({ item: 'x' })
        .expect(404);
      await t.http
        .delete(api(`/warranties/${mine.id}`))
        .set(b.auth)
        .expect(404);
      expect((await get(b, '/warranties').expect(200)).body.items).toEqual([]);
      const ref = await post(b, '/warranties', {
        item: 'X',
        fromTransactionId: transactionId,
        endDate: '2027-01-01',
      }).expect(400);
      expect(ref.body).toMatchObject({ code: 'INVALID_REFERENCE', details: { field: 'fromTransactionId' } });
      const store = await post(b, '/warranties', {
        item: 'X',
        purchaseDate: '2026-01-01',
        endDate: '2027-01-01',
        storeId: supplierId,
      });
      expect(store.status).toBe(400);
    });
  });
});
